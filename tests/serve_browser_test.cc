// The search page of `search serve` in a real browser: Debian's headless Chromium, driven
// through chromedriver's W3C WebDriver API, types into the page as a person does (key events),
// and the test reads what the page shows.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>
#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/serve_support.h"
#include "tests/test_support.h"

namespace {

using trouvere::testing::ChildProcess;
using trouvere::testing::served_db;
using trouvere::testing::ServeProcess;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

// How WebDriver names an element in its answers.
constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";
// WebDriver's code for the Enter key.
constexpr const char* kEnter = "\xEE\x80\x87";

// A port no one listens on now, for chromedriver to take.
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    const bool bound =
        ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    if (!bound) throw std::runtime_error("no free port on 127.0.0.1");
    return ntohs(address.sin_port);
}

std::string base64_decoded(std::string_view text) {
    constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string bytes;
    unsigned bits = 0;
    int count = 0;
    for (char c : text) {
        const std::size_t value = kAlphabet.find(c);
        if (value == std::string_view::npos) continue;
        bits = (bits << 6U) | static_cast<unsigned>(value);
        count += 6;
        if (count >= 8) {
            count -= 8;
            bytes += static_cast<char>((bits >> static_cast<unsigned>(count)) & 0xFFU);
        }
    }
    return bytes;
}

// A Chromium session through chromedriver, ended with the object.
class Browser {
public:
    explicit Browser(int driver_port) : driver_("127.0.0.1", driver_port) {
        driver_.set_read_timeout(std::chrono::seconds(60));
        const auto deadline = Clock::now() + std::chrono::seconds(20);
        while (Clock::now() < deadline) {
            const auto status = driver_.Get("/status");
            if (status && status->status == 200 &&
                json::parse(status->body)["value"]["ready"] == true) {
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        // As root (CI) Chromium runs only without its sandbox.
        const json session = call(
            "POST", "/session",
            {{"capabilities",
              {{"alwaysMatch",
                {{"goog:chromeOptions",
                  {{"binary", TROUVERE_CHROMIUM},
                   {"args",
                    {"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1000,1000", "--lang=fr"}}}}}}}}});
        session_ = "/session/" + session["sessionId"].get<std::string>();
    }
    ~Browser() {
        if (!session_.empty()) driver_.Delete(session_);
    }
    Browser(const Browser&) = delete;
    Browser& operator=(const Browser&) = delete;
    Browser(Browser&&) = delete;
    Browser& operator=(Browser&&) = delete;

    void open(const std::string& url) { call("POST", session_ + "/url", {{"url", url}}); }
    void back() { call("POST", session_ + "/back", json::object()); }

    [[nodiscard]] std::string element(const std::string& css) {
        return call("POST", session_ + "/element",
                    {{"using", "css selector"}, {"value", css}})[kElementKey];
    }
    // Types `text` into the element: focus, then a key event per character.
    void type(const std::string& css, const std::string& text) {
        call("POST", session_ + "/element/" + element(css) + "/value", {{"text", text}});
    }
    void click(const std::string& css) {
        call("POST", session_ + "/element/" + element(css) + "/click", json::object());
    }
    // One key pressed and released where the focus is.
    void press(const std::string& key) {
        call(
            "POST", session_ + "/actions",
            {{"actions",
              {{{"type", "key"},
                {"id", "keyboard"},
                {"actions",
                 {{{"type", "keyDown"}, {"value", key}}, {{"type", "keyUp"}, {"value", key}}}}}}}});
    }
    json run(const std::string& script) {
        return call("POST", session_ + "/execute/sync",
                    {{"script", script}, {"args", json::array()}});
    }
    // Waits until `script` returns true; false after 10 s.
    bool wait_for(const std::string& script) {
        const auto deadline = Clock::now() + std::chrono::seconds(10);
        while (Clock::now() < deadline) {
            if (run(script) == true) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        return false;
    }
    void resize(int width, int height) {
        call("POST", session_ + "/window/rect", {{"width", width}, {"height", height}});
    }
    [[nodiscard]] std::string screenshot() {
        return base64_decoded(call("GET", session_ + "/screenshot").get<std::string>());
    }

private:
    json call(const std::string& method, const std::string& path, const json& body = nullptr) {
        const auto reply = method == "GET" ? driver_.Get(path)
                                           : driver_.Post(path, body.dump(), "application/json");
        if (!reply) throw std::runtime_error("chromedriver did not answer " + path);
        const json answer = json::parse(reply->body);
        if (reply->status != 200) {
            throw std::runtime_error("chromedriver " + path + ": " + answer.dump());
        }
        return answer["value"];
    }

    httplib::Client driver_;
    std::string session_;
};

// The texts of the elements `css` selects, in order.
std::string texts_of(const std::string& css) {
    return "return [...document.querySelectorAll('" + css + "')].map((e) => e.textContent);";
}

}  // namespace

TEST_CASE(
    "the search page, in Chromium, shows what is typed as it is, and keeps its state in "
    "the URL",
    "[serve][browser]") {
    if (std::string_view(TROUVERE_CHROMIUM).empty() ||
        std::string_view(TROUVERE_CHROMEDRIVER).empty()) {
        return trouvere::testing::skip(
            "Chromium and chromedriver are not installed "
            "(scripts/setup installs them)");
    }
    ServeProcess server({"--db", served_db()});
    const std::string page = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
    const int driver_port = free_port();
    ChildProcess driver(TROUVERE_CHROMEDRIVER, {"--port=" + std::to_string(driver_port)});
    Browser browser(driver_port);

    // Typed, key by key, and Enter.
    browser.open(page);
    browser.type("#q", std::string("accord militaire") + kEnter);
    REQUIRE(browser.wait_for("return document.querySelectorAll('#results li').length > 0;"));
    CHECK(browser.run("return location.search;") == "?q=accord+militaire");
    CHECK(browser.run("return document.title;") == "accord militaire — trouvere");
    const json titles = browser.run(texts_of("#results .title"));
    REQUIRE(titles.size() == 4);
    CHECK(titles[0] ==
          "Le Mali renforce ses liens avec la Russie : un important accord militaire ratifié "
          "par le CNT");
    CHECK(browser.run(texts_of("#results li:first-child .meta")) ==
          json::array({"2024-11-22 · 000_dbeda49fb9d40084.txt"}));
    CHECK(browser.run("return document.querySelectorAll('#results mark').length > 4;") == true);
    CHECK(browser.run(texts_of("#status"))[0] == "1–4 sur 4");
    CHECK(browser.run(texts_of("#facets button")) ==
          json::array({"2024 (3)", "<i>Source</i> (1)"}));
    std::ofstream(std::string(TROUVERE_SCREENSHOT_DIR) + "/search-page.png", std::ios::binary)
        << browser.screenshot();

    // A document whose title, body and source are markup and scripts: shown as text, none run.
    browser.open(page + "?q=balises");
    REQUIRE(browser.wait_for("return document.querySelectorAll('#results li').length === 1;"));
    CHECK(browser.run(texts_of("#results .title")) ==
          json::array({"<script>document.title='pwned'</script><img src=x "
                       "onerror=\"document.title='pwned'\">"}));
    CHECK(browser.run(texts_of("#results .meta")) == json::array({"2024-03-01 · <i>Source</i> · "
                                                                  "balises"}));
    CHECK(browser.run("return document.querySelector('#results .snippet').textContent;")
              .get<std::string>()
              .find("<b>militaire</b>") != std::string::npos);
    CHECK(browser.run("return document.querySelectorAll('#results script, #results img, "
                      "#results b, #results i').length;") == 0);
    // The full body, opened from the title, is text too.
    browser.click("#results .title");
    REQUIRE(
        browser.wait_for("const body = document.querySelector('#results .body');"
                         "return body !== null && body.textContent.startsWith('Des balises dans un "
                         "accord <b>militaire</b>');"));
    CHECK(browser.run("return document.querySelectorAll('#results .body *').length;") == 0);
    CHECK(browser.run("return document.title;") == "balises — trouvere");

    // A year narrows the dates; the back button returns to the unnarrowed search.
    browser.open(page + "?q=Mali");
    REQUIRE(browser.wait_for("return document.querySelectorAll('#results li').length === 5;"));
    browser.click("#facets button");
    REQUIRE(browser.wait_for("return document.querySelectorAll('#results li').length === 2;"));
    CHECK(browser.run("return location.search;") == "?q=Mali&since=2024&until=2024");
    CHECK(browser.run("return document.querySelector('#since').value;") == "2024");
    browser.back();
    REQUIRE(browser.wait_for("return document.querySelectorAll('#results li').length === 5;"));
    CHECK(browser.run("return location.search;") == "?q=Mali");
    CHECK(browser.run("return document.querySelector('#since').value;").get<std::string>().empty());

    // A source narrows the documents to it, shown as text, kept by a new search until taken off.
    browser.open(page + "?q=accord+militaire");
    REQUIRE(browser.wait_for("return document.querySelectorAll('#results li').length === 4;"));
    CHECK(browser.run("return document.querySelector('#narrowed').hidden;") == true);
    browser.click("#facets section:nth-of-type(2) button");
    REQUIRE(browser.wait_for("return document.querySelectorAll('#results li').length === 1;"));
    CHECK(browser.run("return location.search;") ==
          "?q=accord+militaire&source=%3Ci%3ESource%3C%2Fi%3E");
    CHECK(browser.run("return document.querySelector('#narrowed').hidden;") == false);
    CHECK(browser.run(texts_of("#narrowed-source")) == json::array({"<i>Source</i>"}));
    CHECK(browser.run("return document.querySelectorAll('#narrowed i').length;") == 0);
    browser.run("document.querySelector('#q').value = '';");
    browser.type("#q", std::string("accord") + kEnter);
    REQUIRE(
        browser.wait_for("return location.search === "
                         "'?q=accord&source=%3Ci%3ESource%3C%2Fi%3E';"));
    REQUIRE(browser.wait_for("return document.querySelectorAll('#results li').length === 1;"));
    browser.click("#any-source");
    REQUIRE(browser.wait_for("return location.search === '?q=accord';"));
    REQUIRE(browser.wait_for("return document.querySelectorAll('#results li').length > 1;"));
    CHECK(browser.run("return document.querySelector('#narrowed').hidden;") == true);

    // Paging, from the keyboard: `/` goes to the search box, Enter on the next page's button.
    browser.open(page);
    browser.run("document.activeElement.blur();");
    browser.press("/");
    CHECK(browser.run("return document.activeElement.id;") == "q");
    browser.type("#q", "feuillet");
    CHECK(browser.run("return document.querySelector('#q').value;") == "feuillet");
    browser.press(kEnter);
    REQUIRE(browser.wait_for("return document.querySelectorAll('#results li').length === 10;"));
    CHECK(browser.run("return document.querySelector('#previous').hidden;") == true);
    browser.run("document.querySelector('#next').focus();");
    browser.press(kEnter);
    REQUIRE(browser.wait_for("return document.querySelectorAll('#results li').length === 2;"));
    CHECK(browser.run("return location.search;") == "?q=feuillet&offset=10");
    CHECK(browser.run(texts_of("#status"))[0] == "11–12 sur 12");
    CHECK(browser.run("return document.querySelector('#results').start;") == 11);
    browser.back();
    REQUIRE(browser.wait_for("return document.querySelectorAll('#results li').length === 10;"));

    // Did you mean: the corrected query, one click away.
    browser.open(page + "?q=accrd+militaire");
    REQUIRE(browser.wait_for("return !document.querySelector('#suggestion').hidden;"));
    CHECK(browser.run(texts_of("#suggested")) == json::array({"accord militaire"}));
    browser.click("#suggested");
    REQUIRE(browser.wait_for("return location.search === '?q=accord+militaire';"));
    CHECK(browser.run("return document.querySelector('#q').value;") == "accord militaire");

    // An error from the server is shown as it says.
    browser.open(page + "?q=accord+date%3A2024-13");
    REQUIRE(browser.wait_for("return document.querySelector('#status.error') !== null;"));
    CHECK(browser.run(texts_of("#status")) ==
          json::array({"malformed date 'date:2024-13': there is no month 13"}));

    // On a phone's width nothing is wider than the screen.
    browser.resize(390, 844);
    browser.open(page + "?q=accord+militaire");
    REQUIRE(browser.wait_for("return document.querySelectorAll('#results li').length > 0;"));
    CHECK(browser.run("return document.documentElement.scrollWidth <= window.innerWidth;") == true);
}
