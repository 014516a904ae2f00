#pragma once

namespace trouvere::server {

/// `search serve [--db PATH] [--listen HOST:PORT] [--threads N]`, with argv[0] naming `serve`:
/// answers searches over HTTP until SIGTERM or SIGINT, then ends the requests under way and
/// returns 0; 2 for a usage error or an address it cannot listen on.
int serve_main(int argc, char** argv);

}  // namespace trouvere::server
