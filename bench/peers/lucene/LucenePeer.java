// Lucene 8 as a peer: the Java library most search servers (Solr, Elasticsearch, OpenSearch) are
// built on, set up with the analysis chain closest to trouvere's and measured by the same protocol
// and statistics as the C++ peers (bench/peers/harness.h):
//   lucene_peer index DB JSONL
//   lucene_peer query DB QUERIES.tsv [--snippets | --match-only] [--repeat N]
//   lucene_peer probe DB
// each printing one JSON object with the harness's keys.
//
// Analysis: StandardTokenizer (UAX #29 words, so `l'église` stays one token until the elision
// filter cuts the article), ElisionFilter with FrenchAnalyzer's articles (the same 13 as trouvere),
// LowerCaseFilter, ASCIIFoldingFilter, SnowballFilter(FrenchStemmer): folded, then stemmed, as
// trouvere's matching terms are. No stopwords, as trouvere matches stopwords too.
//
// A JIT compiles what runs often, so the first passes time the interpreter: the query step warms
// up in rounds of the timed passes until two rounds in a row agree (see Warmup), and says in its
// output how many it took and what each round measured.

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.LengthGoalBreakIterator;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;
import org.tartarus.snowball.ext.FrenchStemmer;

public final class LucenePeer {
    private static final String NAME = "lucene";
    private static final int TOP = 10;
    private static final int INDEXING_THREADS = 2;
    private static final int SNIPPET_CHARS = 200;

    // The same five queries as every other engine's probe (harness.cc).
    private static final List<String> PROBE_QUERIES =
            List.of("église", "l'église", "chevaux", "\"chemin de fer\"", "d'armes");

    /** What the query step fetches for each of the ten hits. */
    private enum Fetch {
        // TopDocs only: matching and ranking, no stored field read.
        NONE,
        // The id and title stored fields, as every harness peer returns.
        TITLES,
        // Titles, and the body's best passage from the UnifiedHighlighter.
        SNIPPETS
    }

    private LucenePeer() {}

    public static void main(String[] args) {
        final PrintStream out = new PrintStream(
                new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int status;
        try {
            final Map<String, Object> result = run(args);
            if (result == null) {
                status = usage();
            } else {
                out.println(Json.write(result));
                status = 0;
            }
        } catch (Exception | OutOfMemoryError error) {
            System.err.println(NAME + ": " + error);
            status = 1;
        }
        out.flush();
        System.exit(status);
    }

    private static int usage() {
        System.err.println("usage: lucene_peer index DB JSONL\n"
                + "       lucene_peer query DB QUERIES.tsv [--snippets | --match-only] [--repeat N]\n"
                + "       lucene_peer probe DB");
        return 2;
    }

    // Null for a usage error.
    private static Map<String, Object> run(String[] args) throws Exception {
        if (args.length < 2) return null;
        final String command = args[0];
        final Path location = Paths.get(args[1]);
        if (command.equals("index") && args.length == 3) return index(location, Paths.get(args[2]));
        if (command.equals("probe") && args.length == 2) return probe(location);
        if (!command.equals("query") || args.length < 3) return null;
        Fetch fetch = Fetch.TITLES;
        int repeat = 5;
        for (int i = 3; i < args.length; ++i) {
            if (args[i].equals("--snippets") && fetch == Fetch.TITLES) {
                fetch = Fetch.SNIPPETS;
            } else if (args[i].equals("--match-only") && fetch == Fetch.TITLES) {
                fetch = Fetch.NONE;
            } else if (args[i].equals("--repeat") && i + 1 < args.length) {
                try {
                    repeat = Integer.parseInt(args[++i]);
                } catch (NumberFormatException error) {
                    return null;
                }
                if (repeat < 1) return null;
            } else {
                return null;
            }
        }
        return query(location, Paths.get(args[2]), fetch, repeat);
    }

    // ---------------------------------------------------------------------------------------
    // Set-up: the analysis chain and the fields

    static Analyzer frenchAnalyzer() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                final Tokenizer source = new StandardTokenizer();
                TokenStream stream = new ElisionFilter(source, FrenchAnalyzer.DEFAULT_ARTICLES);
                stream = new LowerCaseFilter(stream);
                stream = new ASCIIFoldingFilter(stream);
                stream = new SnowballFilter(stream, new FrenchStemmer());
                return new TokenStreamComponents(source, stream);
            }

            @Override
            protected TokenStream normalize(String field, TokenStream in) {
                return new ASCIIFoldingFilter(new LowerCaseFilter(
                        new ElisionFilter(in, FrenchAnalyzer.DEFAULT_ARTICLES)));
            }
        };
    }

    // The body keeps its offsets in the postings, so that the highlighter finds the matches'
    // places without analysing the text again.
    private static final FieldType BODY_TYPE = new FieldType(TextField.TYPE_STORED);
    static {
        BODY_TYPE.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);
        BODY_TYPE.freeze();
    }

    private static Map<String, Object> settings() {
        final Map<String, Object> s = new LinkedHashMap<>();
        s.put("engine", "Lucene " + Version.LATEST + " on " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.version"));
        s.put("analysis", "StandardTokenizer, ElisionFilter (FrenchAnalyzer's articles), "
                + "LowerCaseFilter, ASCIIFoldingFilter, SnowballFilter(FrenchStemmer); no stopwords");
        s.put("fields", "id (StringField, stored); title (TextField, stored, positions); "
                + "body (stored, positions and offsets in the postings)");
        s.put("index", INDEXING_THREADS + " threads adding documents to one IndexWriter "
                + "(default config: 16 MB RAM buffer, TieredMergePolicy), forceMerge(1), commit");
        s.put("query", "classic MultiFieldQueryParser on title and body, default operator AND");
        s.put("default_op", "AND (Lucene's own default is OR)");
        s.put("ranking", "BM25Similarity (default), top 10 by IndexSearcher.search "
                + "(total hits counted exactly up to 1000)");
        s.put("snippets", "UnifiedHighlighter on body, offsets from the postings, one passage, "
                + "LengthGoalBreakIterator closest to " + SNIPPET_CHARS + " chars over French "
                + "sentences, the match centred, the whole body searched (setMaxLength)");
        s.put("warmup", Warmup.RULE);
        return s;
    }

    private static Map<String, Object> header(String command) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("peer", NAME);
        out.put("command", command);
        out.put("settings", settings());
        return out;
    }

    // ---------------------------------------------------------------------------------------
    // index

    /** A line of the corpus as read, for an indexing thread to decode. */
    private record Line(long number, byte[] bytes) {}

    private static final List<Line> END = new ArrayList<>();

    private static Map<String, Object> index(Path location, Path jsonl) throws Exception {
        final long start = System.nanoTime();
        deleteRecursively(location);
        long docs = 0;
        long bytes = 0;
        double mergeSeconds;
        final IndexWriterConfig config = new IndexWriterConfig(frenchAnalyzer());
        config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        try (Directory directory = FSDirectory.open(location);
             IndexWriter writer = new IndexWriter(directory, config);
             InputStream in = Files.newInputStream(jsonl)) {
            // The reading thread hands batches of lines to the indexing threads, which decode
            // and analyse them: IndexWriter.addDocument is safe to call from several threads.
            final BlockingQueue<List<Line>> queue = new ArrayBlockingQueue<>(64);
            final ExecutorService pool = Executors.newFixedThreadPool(INDEXING_THREADS);
            final List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < INDEXING_THREADS; ++t) {
                workers.add(pool.submit(() -> {
                    addDocuments(writer, queue);
                    return null;
                }));
            }
            try {
                final LineReader lines = new LineReader(in);
                List<Line> batch = new ArrayList<>();
                byte[] line;
                while ((line = lines.next()) != null) {
                    bytes += line.length + 1;
                    if (isBlank(line)) continue;
                    ++docs;
                    batch.add(new Line(lines.number(), line));
                    if (batch.size() == 256) {
                        putOrFail(queue, batch, workers);
                        batch = new ArrayList<>();
                    }
                }
                if (!batch.isEmpty()) putOrFail(queue, batch, workers);
                for (int t = 0; t < INDEXING_THREADS; ++t) putOrFail(queue, END, workers);
                for (Future<?> worker : workers) worker.get();
            } catch (ExecutionException error) {
                throw error.getCause() instanceof Exception cause ? cause : error;
            } finally {
                pool.shutdownNow();
            }
            final long mergeStart = System.nanoTime();
            writer.forceMerge(1);
            writer.commit();
            mergeSeconds = (System.nanoTime() - mergeStart) / 1e9;
        }
        final double seconds = (System.nanoTime() - start) / 1e9;

        final Map<String, Object> out = header("index");
        out.put("corpus", jsonl.toString());
        out.put("docs", docs);
        out.put("input_mb", bytes / 1e6);
        out.put("seconds", seconds);
        out.put("mb_per_s", bytes / 1e6 / seconds);
        out.put("peak_rss_mb", peakRssMb());
        out.put("disk_mb", diskUsage(location) / 1e6);
        out.put("merge_seconds", mergeSeconds);
        try (Directory directory = FSDirectory.open(location);
             DirectoryReader reader = DirectoryReader.open(directory)) {
            out.put("segments", reader.leaves().size());
        }
        return out;
    }

    // A queue offer that gives up when a worker has failed, instead of waiting for it forever.
    private static void putOrFail(BlockingQueue<List<Line>> queue, List<Line> batch,
                                  List<Future<?>> workers) throws Exception {
        while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            for (Future<?> worker : workers) {
                if (worker.isDone()) worker.get();
            }
        }
    }

    private static void addDocuments(IndexWriter writer, BlockingQueue<List<Line>> queue)
            throws Exception {
        final Field id = new StringField("id", "", Field.Store.YES);
        final Field title = new TextField("title", "", Field.Store.YES);
        final Field body = new Field("body", "", BODY_TYPE);
        final Document document = new Document();
        document.add(id);
        document.add(title);
        document.add(body);
        for (List<Line> batch = queue.take(); batch != END; batch = queue.take()) {
            for (Line line : batch) {
                final Object parsed = Json.parse(new String(line.bytes(), StandardCharsets.UTF_8));
                if (!(parsed instanceof Map<?, ?> object) || !(object.get("id") instanceof String)) {
                    throw new IllegalArgumentException("line " + line.number()
                            + ": expected a JSON object with a string \"id\"");
                }
                id.setStringValue((String) object.get("id"));
                title.setStringValue(object.get("title") instanceof String s ? s : "");
                body.setStringValue(object.get("body") instanceof String s ? s : "");
                writer.addDocument(document);
            }
        }
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') return false;
        }
        return true;
    }

    /** Lines of bytes, without their '\n', numbered from 1, as std::getline splits them. */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private int start;
        private int end;
        private long number;

        LineReader(InputStream in) {
            this.in = in;
        }

        /** The next line, or null at the end of the input. */
        byte[] next() throws IOException {
            ByteArrayOutputStream partial = null;
            while (true) {
                for (int i = start; i < end; ++i) {
                    if (buffer[i] != '\n') continue;
                    final byte[] line;
                    if (partial == null) {
                        line = Arrays.copyOfRange(buffer, start, i);
                    } else {
                        partial.write(buffer, start, i - start);
                        line = partial.toByteArray();
                    }
                    start = i + 1;
                    ++number;
                    return line;
                }
                if (partial == null) partial = new ByteArrayOutputStream();
                partial.write(buffer, start, end - start);
                start = 0;
                end = Math.max(in.read(buffer), 0);
                if (end == 0) {
                    if (partial.size() == 0) return null;
                    ++number;
                    return partial.toByteArray();
                }
            }
        }

        long number() {
            return number;
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) return;
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    // Bytes in blocks allocated under `path`, as the harness's disk_usage and `du -s` count them.
    private static long diskUsage(Path path) throws IOException, InterruptedException {
        final Process du = new ProcessBuilder("du", "-s", "-B1", path.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String output = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (du.waitFor() != 0) throw new IOException("du failed on " + path);
        return Long.parseLong(output.trim().split("\\s+")[0]);
    }

    // The process's peak resident set (VmHWM), JVM and heap included, in MB.
    private static double peakRssMb() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024 / 1e6;
            }
        }
        throw new IOException("no VmHWM in /proc/self/status");
    }

    // ---------------------------------------------------------------------------------------
    // query and probe

    /** An open index and what answers a query on it. Single-threaded. */
    private static final class Engine implements AutoCloseable {
        private static final Set<String> HIT_FIELDS = Set.of("id", "title");

        final Directory directory;
        final DirectoryReader reader;
        final IndexSearcher searcher;
        final QueryParser parser;
        final UnifiedHighlighter highlighter;

        Engine(Path location) throws IOException {
            final Analyzer analyzer = frenchAnalyzer();
            directory = FSDirectory.open(location);
            reader = DirectoryReader.open(directory);
            searcher = new IndexSearcher(reader);
            parser = new MultiFieldQueryParser(new String[] {"title", "body"}, analyzer);
            parser.setDefaultOperator(QueryParser.Operator.AND);
            highlighter = new UnifiedHighlighter(searcher, analyzer);
            highlighter.setMaxLength(Integer.MAX_VALUE - 1);
            highlighter.setBreakIterator(() -> LengthGoalBreakIterator.createClosestToLength(
                    BreakIterator.getSentenceInstance(Locale.FRENCH), SNIPPET_CHARS, 0.5f));
            highlighter.setFormatter(new DefaultPassageFormatter("<mark>", "</mark>", "…", false));
        }

        Query parse(String text) throws ParseException {
            return parser.parse(text);
        }

        /** The ten best hits, and as much of them as `fetch` asks for. */
        Answer search(String text, Fetch fetch) throws ParseException, IOException {
            final Query query = parse(text);
            final TopDocs top = searcher.search(query, TOP);
            final Answer answer = new Answer(top);
            if (fetch == Fetch.NONE) return answer;
            answer.ids = new String[top.scoreDocs.length];
            answer.titles = new String[top.scoreDocs.length];
            for (int i = 0; i < top.scoreDocs.length; ++i) {
                final Document stored = searcher.doc(top.scoreDocs[i].doc, HIT_FIELDS);
                answer.ids[i] = stored.get("id");
                answer.titles[i] = stored.get("title");
            }
            if (fetch == Fetch.SNIPPETS) answer.snippets = highlighter.highlight("body", query, top, 1);
            return answer;
        }

        String id(int doc) throws IOException {
            return searcher.doc(doc, Set.of("id")).get("id");
        }

        long count(String text) throws ParseException, IOException {
            return searcher.count(parse(text));
        }

        @Override
        public void close() throws IOException {
            reader.close();
            directory.close();
        }
    }

    private static final class Answer {
        final TopDocs top;
        String[] ids;
        String[] titles;
        String[] snippets;

        Answer(TopDocs top) {
            this.top = top;
        }
    }

    private record QueryLine(String queryClass, String text) {}

    private static List<QueryLine> readQueries(Path path) throws IOException {
        final List<QueryLine> queries = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            ++number;
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isEmpty() || line.startsWith("#")) continue;
            final int tab = line.indexOf('\t');
            if (tab <= 0 || tab + 1 == line.length()) {
                throw new IOException(path + ":" + number + ": expected class<TAB>query");
            }
            queries.add(new QueryLine(line.substring(0, tab), line.substring(tab + 1)));
        }
        if (queries.isEmpty()) throw new IOException(path + ": no queries");
        return queries;
    }

    // Whatever a timed call returns is folded in here, so that the JIT cannot drop any of it.
    static long sink;

    private static void consume(Answer answer) {
        sink += answer.top.scoreDocs.length;
        if (answer.snippets != null) {
            for (String snippet : answer.snippets) sink += snippet == null ? 0 : snippet.length();
        }
    }

    /** One pass over every query; samples[i] receives query i's latency in ms. */
    private static void pass(Engine engine, List<QueryLine> queries, Fetch fetch,
                             List<List<Double>> samples, Answer[] keep) throws Exception {
        for (int i = 0; i < queries.size(); ++i) {
            final long start = System.nanoTime();
            final Answer answer = engine.search(queries.get(i).text(), fetch);
            final long elapsed = System.nanoTime() - start;
            consume(answer);
            if (samples != null) samples.get(i).add(elapsed / 1e6);
            if (keep != null) keep[i] = answer;
        }
    }

    /**
     * Warm-up until the JIT has settled. The warm-up runs in rounds of `repeat` passes, timed like
     * the measured part, and ends after the first round that (1) closes QUIET_ROUNDS rounds in a
     * row in which the JIT compiled for less than QUIET_SHARE of the round's time, and (2) has
     * its overall p50 and p99 within BAND of the round before. Percentiles alone stop too early:
     * the JIT keeps compiling for dozens of rounds, its compiler threads taking the second core
     * from the queries, and two rounds in a row can agree by chance meanwhile. Quiet alone is
     * not enough either: the last compilations still show in the next round's figures.
     */
    private static final class Warmup {
        static final int QUIET_ROUNDS = 3;
        static final double QUIET_SHARE = 0.01;
        static final double BAND = 0.10;
        static final int MAX_ROUNDS = 100;
        static final String RULE = "rounds of the timed passes until " + QUIET_ROUNDS
                + " rounds in a row have spent under " + Math.round(QUIET_SHARE * 100)
                + "% of their time compiling (CompilationMXBean) and the last round's overall "
                + "p50 and p99 are within " + Math.round(BAND * 100) + "% of the round before; "
                + "at most " + MAX_ROUNDS + " rounds";

        static Map<String, Object> run(Engine engine, List<QueryLine> queries, Fetch fetch,
                                       int repeat) throws Exception {
            final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            final List<Object> rounds = new ArrayList<>();
            double lastP50 = -1;
            double lastP99 = -1;
            int quietRounds = 0;
            boolean settled = false;
            while (!settled && rounds.size() < MAX_ROUNDS) {
                final long jitBefore = jit.getTotalCompilationTime();
                final long start = System.nanoTime();
                final List<Double> all = new ArrayList<>();
                for (int p = 0; p < repeat; ++p) {
                    final List<List<Double>> samples = emptySamples(queries.size());
                    pass(engine, queries, fetch, samples, null);
                    for (List<Double> s : samples) all.addAll(s);
                }
                final double roundMs = (System.nanoTime() - start) / 1e6;
                final long jitMs = jit.getTotalCompilationTime() - jitBefore;
                quietRounds = jitMs < QUIET_SHARE * roundMs ? quietRounds + 1 : 0;
                final Map<String, Object> stats = summarize(all);
                final double p50 = (Double) stats.get("p50");
                final double p99 = (Double) stats.get("p99");
                settled = quietRounds >= QUIET_ROUNDS
                        && Math.abs(p50 - lastP50) <= BAND * lastP50
                        && Math.abs(p99 - lastP99) <= BAND * lastP99;
                lastP50 = p50;
                lastP99 = p99;
                final Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("p50", p50);
                entry.put("p99", p99);
                entry.put("ms", Math.round(roundMs));
                entry.put("jit_ms", jitMs);
                rounds.add(entry);
            }
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("passes", rounds.size() * repeat);
            out.put("settled", settled);
            out.put("rounds", rounds);
            return out;
        }
    }

    private static List<List<Double>> emptySamples(int n) {
        final List<List<Double>> samples = new ArrayList<>(n);
        for (int i = 0; i < n; ++i) samples.add(new ArrayList<>());
        return samples;
    }

    private static Map<String, Object> query(Path location, Path queriesPath, Fetch fetch,
                                             int repeat) throws Exception {
        final List<QueryLine> queries = readQueries(queriesPath);
        try (Engine engine = new Engine(location)) {
            final Map<String, Object> warmup = Warmup.run(engine, queries, fetch, repeat);
            final long jitBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            final List<List<Double>> samples = emptySamples(queries.size());
            final Answer[] firstPass = new Answer[queries.size()];
            for (int p = 0; p < repeat; ++p) {
                pass(engine, queries, fetch, samples, p == 0 ? firstPass : null);
            }
            warmup.put("jit_ms_while_timed",
                    ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitBefore);

            final List<String> classOrder = new ArrayList<>();
            final Map<String, List<Double>> byClass = new HashMap<>();
            final Map<String, Integer> withoutMatch = new HashMap<>();
            final List<Double> all = new ArrayList<>();
            final List<Object> perQuery = new ArrayList<>();
            for (int i = 0; i < queries.size(); ++i) {
                final QueryLine query = queries.get(i);
                if (!byClass.containsKey(query.queryClass())) {
                    classOrder.add(query.queryClass());
                    byClass.put(query.queryClass(), new ArrayList<>());
                }
                byClass.get(query.queryClass()).addAll(samples.get(i));
                all.addAll(samples.get(i));

                // Outside the timing: an exact count when the top-10 search stopped counting,
                // and the best hit's id when the timed call fetched no stored field.
                final Answer answer = firstPass[i];
                final TotalHits total = answer.top.totalHits;
                final long matches = total.relation == TotalHits.Relation.EQUAL_TO
                        ? total.value : engine.count(query.text());
                if (matches == 0) withoutMatch.merge(query.queryClass(), 1, Integer::sum);
                final Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("class", query.queryClass());
                entry.put("query", query.text());
                entry.put("matches", matches);
                entry.put("matches_are", "exact");
                entry.put("hits", answer.top.scoreDocs.length);
                entry.put("p50_ms", summarize(samples.get(i)).get("p50"));
                if (answer.top.scoreDocs.length > 0) {
                    final ScoreDoc best = answer.top.scoreDocs[0];
                    entry.put("top_id", answer.ids != null ? answer.ids[0] : engine.id(best.doc));
                    if (fetch == Fetch.SNIPPETS) entry.put("top_snippet", answer.snippets[0]);
                }
                perQuery.add(entry);
            }
            final Map<String, Object> latency = new LinkedHashMap<>();
            latency.put("all", summarize(all));
            final Map<String, Object> noMatch = new LinkedHashMap<>();
            for (String queryClass : classOrder) {
                latency.put(queryClass, summarize(byClass.get(queryClass)));
                noMatch.put(queryClass, withoutMatch.getOrDefault(queryClass, 0));
            }
            final Map<String, Object> out = header("query");
            out.put("query_set", queriesPath.toString());
            out.put("snippets", fetch == Fetch.SNIPPETS);
            out.put("fetch", switch (fetch) {
                case NONE -> "none: TopDocs of the top 10, no stored field read";
                case TITLES -> "id and title stored fields of the top 10";
                case SNIPPETS -> "id and title stored fields and a highlighted body passage";
            });
            out.put("repeat", repeat);
            out.put("queries", queries.size());
            out.put("latency_ms", latency);
            out.put("queries_without_match", noMatch);
            out.put("peak_rss_mb", peakRssMb());
            out.put("warmup", warmup);
            out.put("heap_max_mb", Runtime.getRuntime().maxMemory() / 1e6);
            out.put("per_query", perQuery);
            return out;
        }
    }

    private static Map<String, Object> probe(Path location) throws Exception {
        try (Engine engine = new Engine(location)) {
            final Map<String, Object> counts = new LinkedHashMap<>();
            for (String query : PROBE_QUERIES) counts.put(query, engine.count(query));
            final Map<String, Object> out = header("probe");
            out.put("counts", counts);
            return out;
        }
    }

    // Nearest-rank percentiles rounded to the microsecond, as harness.cc computes them.
    private static Map<String, Object> summarize(List<Double> samples) {
        final double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double sum = 0;
        for (double sample : sorted) sum += sample;
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("n", (long) sorted.length);
        out.put("p50", percentile(sorted, 50));
        out.put("p90", percentile(sorted, 90));
        out.put("p99", percentile(sorted, 99));
        out.put("mean", rounded(sum / sorted.length));
        out.put("max", rounded(sorted[sorted.length - 1]));
        return out;
    }

    private static double percentile(double[] sorted, double p) {
        final int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return rounded(sorted[Math.max(rank, 1) - 1]);
    }

    private static double rounded(double ms) {
        return Math.round(ms * 1000.0) / 1000.0;
    }

    // ---------------------------------------------------------------------------------------
    // JSON: enough to read the corpus's lines and write the results.

    static final class Json {
        private final String text;
        private int at;

        private Json(String text) {
            this.text = text;
        }

        /** A Map (keys in order), List, String, Double, Boolean or null; throws on bad JSON. */
        static Object parse(String text) {
            final Json parser = new Json(text);
            final Object value = parser.value();
            parser.space();
            if (parser.at != text.length()) throw parser.error();
            return value;
        }

        private IllegalArgumentException error() {
            return new IllegalArgumentException("bad JSON at character " + at);
        }

        private void space() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) ++at;
        }

        private Object value() {
            space();
            if (at >= text.length()) throw error();
            final char c = text.charAt(at);
            if (c == '{') return object();
            if (c == '[') return array();
            if (c == '"') return string();
            if (text.startsWith("true", at)) return literal(4, Boolean.TRUE);
            if (text.startsWith("false", at)) return literal(5, Boolean.FALSE);
            if (text.startsWith("null", at)) return literal(4, null);
            return number();
        }

        private Object literal(int length, Object value) {
            at += length;
            return value;
        }

        // Steps over an opening bracket; true when the closing one follows at once.
        private boolean isEmpty(char close) {
            ++at;
            space();
            if (at < text.length() && text.charAt(at) == close) {
                ++at;
                return true;
            }
            return false;
        }

        // After a member or an element: true on a comma, false on the closing bracket.
        private boolean hasMore(char close) {
            space();
            if (at >= text.length()) throw error();
            final char c = text.charAt(at++);
            if (c == close) return false;
            if (c != ',') throw error();
            return true;
        }

        private Map<String, Object> object() {
            final Map<String, Object> object = new LinkedHashMap<>();
            if (isEmpty('}')) return object;
            do {
                space();
                if (at >= text.length() || text.charAt(at) != '"') throw error();
                final String key = string();
                space();
                if (at >= text.length() || text.charAt(at) != ':') throw error();
                ++at;
                object.put(key, value());
            } while (hasMore('}'));
            return object;
        }

        private List<Object> array() {
            final List<Object> array = new ArrayList<>();
            if (isEmpty(']')) return array;
            do {
                array.add(value());
            } while (hasMore(']'));
            return array;
        }

        private String string() {
            final StringBuilder out = new StringBuilder();
            ++at;
            while (true) {
                if (at >= text.length()) throw error();
                final char c = text.charAt(at++);
                if (c == '"') return out.toString();
                if (c < 0x20) throw error();
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= text.length()) throw error();
                final char escaped = text.charAt(at++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) throw error();
                        try {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException bad) {
                            throw error();
                        }
                        at += 4;
                    }
                    default -> throw error();
                }
            }
        }

        private Double number() {
            final int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) ++at;
            try {
                return Double.valueOf(text.substring(start, at));
            } catch (NumberFormatException bad) {
                at = start;
                throw error();
            }
        }

        static String write(Object value) {
            final StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof String s) {
                writeString(s, out);
            } else if (value instanceof Double d) {
                out.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) out.append(',');
                    first = false;
                    writeString(entry.getKey().toString(), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); ++i) {
                    if (i > 0) out.append(',');
                    write(list.get(i), out);
                }
                out.append(']');
            } else {
                throw new IllegalArgumentException("no JSON for " + value.getClass());
            }
        }

        private static void writeString(String s, StringBuilder out) {
            out.append('"');
            for (int i = 0; i < s.length(); ++i) {
                final char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
