/* faultline: composition root. Parses the command line, loads the file, runs the analysis and
 * writes the report. The only file that prints to the terminal on its own and calls exit(). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "binning.h"
#include "cases.h"
#include "cluster.h"
#include "config.h"
#include "decisions.h"
#include "gate.h"
#include "journal.h"
#include "queue.h"
#include "tags.h"
#include "tagview.h"
#include "engine.h"
#include "filter.h"
#include "loader.h"
#include "metrics.h"
#include "outcome.h"
#include "report.h"
#include "roles.h"
#include "search.h"
#include "slice.h"
#include "stats.h"
#include "explorer.h"

/* Exit statuses, as the manual states. 1 is kept for a failed quality gate. */
enum { EXIT_OK = 0, EXIT_GATE = 1, EXIT_USAGE = 2, EXIT_INPUT = 3 };

#define MAX_LIST 64

typedef enum { CMD_DEFAULT, CMD_REPORT, CMD_BENCH, CMD_TAGS, CMD_REVIEW } command;

typedef struct cli {
    command cmd;
    const char *file;
    const char *format; /* "md" or "json" */
    const char *output; /* NULL = stdout */
    bool quiet;
    ld_opts load;
    role_opts roles;
    bin_opts bins;
    rpt_opts report;
    srch_opts search;
    clu_opts cluster;
    dec_opts dec;           /* --compare, --costs, --protected, ... (decisions.h) */
    const char *tags_path;  /* --tags PATH: the tag journal */
    const char *tagset;     /* --tagset FILE */
    const char *tag_names;  /* --tag-names A,B,... (a config file's "tags" line) */
    const char *reviewer;   /* --reviewer NAME */
    rq_opts queue;          /* --order, --sample, --seed: the review queue */
    bool interactive;       /* the explorer or review mode: tags open read-write */
    const char *fail_if[MAX_LIST]; /* --fail-if CONDITION (repeatable) */
    size_t nfail_if;
    bool clusters_off;      /* --clusters 0 */
    const char *theme;      /* --theme NAME (explorer) */
    bool mono, ascii;       /* --mono, --ascii (explorer) */
    bool search_off;        /* --levels 0 */
    double min_support_pct; /* --min-support P%: share of the selection; NAN when not given */
    bool min_support_given;
    const char *filters[MAX_LIST];
    size_t nfilters;
    const char *heatmap;      /* --heatmap X,Y */
    bool heatmap_equal_width; /* --heatmap-bins equal */
    const char *na[MAX_LIST];
    const char *time_cols[1];
    const char *text_cols[MAX_LIST];
    char text_buf[1024];
} cli;

static const char USAGE[] =
    "usage: faultline [OPTIONS] FILE            explore where the model fails (on a\n"
    "                                           terminal; else print the report)\n"
    "       faultline report [OPTIONS] FILE     write the report (Markdown or JSON)\n"
    "       faultline bench [OPTIONS] FILE      measure loading and analysis, print JSON\n"
    "       faultline review [OPTIONS] FILE     tag the errors one by one (on a terminal)\n"
    "       faultline tags [--format csv|jsonl] [OPTIONS] FILE   export the tags\n"
    "       faultline --help | --version\n";

static const char HELP[] =
    "\n"
    "FILE is a CSV of a model's predictions (- reads standard input): a true label, a\n"
    "prediction and optionally per-class scores, an id, features, text and a timestamp.\n"
    "\n"
    "Report:\n"
    "  -f, --format md|json     report format (default md)\n"
    "  -o, --output PATH        write the report to PATH instead of standard output\n"
    "      --bins N             quantile bins for numeric columns (default 10)\n"
    "      --min-support N      slices with fewer rows are marked small (default 30)\n"
    "      --slices N           significant slices listed in Markdown (default 25)\n"
    "      --heatmap X,Y        add the error-rate heatmap of two columns\n"
    "      --heatmap-bins quantile|equal   numeric heatmap axes (default quantile)\n"
    "      --clusters K         error clusters: K of them, or 0 for none (default: chosen\n"
    "                           from 2 to 12 by the silhouette)\n"
    "      --cluster-all        cluster every selected row, not only the errors\n"
    "      --embedding PREFIX   cluster on the columns PREFIX0, PREFIX1, ... (cosine)\n"
    "      --seed S             seed of the clustering and of the review queue's random\n"
    "                           order and sample (default 1)\n"
    "      --filter EXPR        restrict every section to the rows EXPR selects\n"
    "                           (repeatable; the filters are ANDed), e.g.\n"
    "                           'corpus_group == \"hard_ham\" && body =~ /unsubscribe/i'\n"
    "Decisions (thresholds, coverage, drift, data checks and categories come by default):\n"
    "      --compare OTHER      compare with another model's predictions of the same rows\n"
    "                           (joined by id, else by row order; labels must agree)\n"
    "      --pred2 COL          compare with a second prediction column of FILE\n"
    "      --costs FILE         cost matrix CSV: rows true class, columns predicted\n"
    "      --cost-fp X, --cost-fn X   binary costs of a false positive / negative\n"
    "                           (the other one is 1)\n"
    "      --target-accuracy A  the confidence threshold whose kept rows reach accuracy A\n"
    "      --protected COL[,COL]   fairness metrics per group of these columns\n"
    "      --no-data-checks     skip the data checks (duplicates, leakage, label issues)\n"
    "Release gate:\n"
    "      --fail-if COND       exit 1 when COND holds, e.g. 'error_rate > 0.1' or\n"
    "                           'max_slice_lift > 3' (repeatable; figures in faultline(1))\n"
    "      --config FILE        options from FILE (default ./faultline.conf when present);\n"
    "                           the command line overrides them\n"
    "Slice search (conjunctions of conditions that fail most):\n"
    "      --levels L           conditions per slice, 0 (no search) to 5 (default 3)\n"
    "      --top K              slices reported (default 10)\n"
    "      --min-support N|P%   fewest rows of a slice (default: max(20, 0.05%) for the\n"
    "                           search; per-column slices below 30 rows are marked small)\n"
    "      --rank significance|sliceline   ranking (default significance)\n"
    "      --alpha A            Sliceline's weight of the error term (default 0.95)\n"
    "Explorer (faultline FILE on a terminal; keys: ? inside, or faultline(1)):\n"
    "      --theme NAME         default, light, high-contrast, mono, or a file NAME.theme\n"
    "                           in $XDG_CONFIG_HOME/faultline/\n"
    "      --mono               no colours (also when NO_COLOR is set)\n"
    "      --ascii              ASCII lines and bars (automatic outside UTF-8 locales)\n"
    "Tags and review (keys 1-9 tag the case under the cursor, n notes it, V reviews):\n"
    "      --tags PATH          the tag journal (default FILE.tags.jsonl beside FILE)\n"
    "      --tagset FILE        tag names, by commas or lines (default mislabeled,\n"
    "                           ambiguous, needs-context, model-error, data-issue,\n"
    "                           out-of-scope)\n"
    "      --reviewer NAME      the name written with each tag (default $USER)\n"
    "      --order loss|random|uncertainty|slice   review queue order (default loss)\n"
    "      --sample N           review a random sample of N of the errors (seeded)\n"
    "Loading:\n"
    "  -d, --delimiter C        field delimiter: , ; | or tab (default: detected)\n"
    "      --na TOKEN           another missing-value token (repeatable); built in: empty,\n"
    "                           NA, N/A, NaN, null, None, ? (any case)\n"
    "      --threads N          parser threads (default: one per core)\n"
    "  -q, --quiet              no progress line on standard error\n"
    "Roles (detected by name; these settle ambiguity):\n"
    "      --label COL          the true label or regression target\n"
    "      --pred COL           the prediction\n"
    "      --score PREFIX|COLS  per-class scores: a prefix (prob_) or a comma list, or one\n"
    "                           column holding the positive class's score\n"
    "      --id COL             row identifier\n"
    "      --text COL[,COL]     free-text columns\n"
    "      --time COL           timestamp column (also plain epoch seconds)\n"
    "      --task binary|multiclass|regression\n"
    "      --positive CLASS     positive class of a binary task (default: the second)\n"
    "      --fail-above T       regression: a row fails when |error| > T\n"
    "                           (default: the 90th percentile of |error|)\n"
    "\n"
    "Exit status: 0 ok, 1 a --fail-if condition holds, 2 usage error, 3 input or output\n"
    "error.\n"
    "See faultline(1) for the report's contents and the JSON keys.\n";

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void usage_error(const char *fmt, ...)
{
    fputs("faultline: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n", stderr);
    fputs(USAGE, stderr);
    exit(EXIT_USAGE);
}

static size_t parse_count(const char *s, const char *flag)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || end == s || s[0] == '-')
        usage_error("%s needs a whole number", flag);
    return (size_t)v;
}

static char parse_delimiter(const char *s)
{
    if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0 || strcmp(s, "\t") == 0)
        return '\t';
    if (strlen(s) == 1 && strchr(",;|", s[0]))
        return s[0];
    usage_error("--delimiter %s: use one of , ; | tab", s);
}

static task_kind parse_task(const char *s)
{
    if (strcmp(s, "binary") == 0)
        return TASK_BINARY;
    if (strcmp(s, "multiclass") == 0)
        return TASK_MULTICLASS;
    if (strcmp(s, "regression") == 0)
        return TASK_REGRESSION;
    usage_error("--task %s: use binary, multiclass or regression", s);
}

/* Splits a comma list in place into list[]; returns the count. */
static size_t split_list(char *s, const char **list, size_t max)
{
    size_t n = 0;
    for (char *save = NULL, *tok = strtok_r(s, ",", &save); tok && n < max;
         tok = strtok_r(NULL, ",", &save))
        list[n++] = tok;
    return n;
}

enum {
    OPT_LABEL = 256, OPT_PRED, OPT_SCORE, OPT_ID, OPT_TEXT, OPT_TIME, OPT_TASK, OPT_POSITIVE,
    OPT_FAIL_ABOVE, OPT_BINS, OPT_MIN_SUPPORT, OPT_SLICES, OPT_NA, OPT_THREADS, OPT_FILTER,
    OPT_LEVELS, OPT_TOP, OPT_RANK, OPT_ALPHA, OPT_HEATMAP, OPT_HEATMAP_BINS,
    OPT_CLUSTERS, OPT_SEED, OPT_CLUSTER_ALL, OPT_EMBEDDING, OPT_TAGS, OPT_TAGSET, OPT_TAG_NAMES, OPT_REVIEWER,
    OPT_FAIL_IF, OPT_CONFIG, OPT_ORDER, OPT_SAMPLE,
    OPT_THEME, OPT_MONO, OPT_ASCII,
    OPT_COMPARE, OPT_PRED2, OPT_COSTS, OPT_COST_FP, OPT_COST_FN, OPT_TARGET_ACCURACY,
    OPT_PROTECTED, OPT_NO_DATA_CHECKS
};

static const struct option LONG_OPTS[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"format", required_argument, NULL, 'f'},
    {"output", required_argument, NULL, 'o'},
    {"delimiter", required_argument, NULL, 'd'},
    {"quiet", no_argument, NULL, 'q'},
    {"label", required_argument, NULL, OPT_LABEL},
    {"pred", required_argument, NULL, OPT_PRED},
    {"score", required_argument, NULL, OPT_SCORE},
    {"id", required_argument, NULL, OPT_ID},
    {"text", required_argument, NULL, OPT_TEXT},
    {"time", required_argument, NULL, OPT_TIME},
    {"task", required_argument, NULL, OPT_TASK},
    {"positive", required_argument, NULL, OPT_POSITIVE},
    {"fail-above", required_argument, NULL, OPT_FAIL_ABOVE},
    {"bins", required_argument, NULL, OPT_BINS},
    {"min-support", required_argument, NULL, OPT_MIN_SUPPORT},
    {"slices", required_argument, NULL, OPT_SLICES},
    {"na", required_argument, NULL, OPT_NA},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"filter", required_argument, NULL, OPT_FILTER},
    {"levels", required_argument, NULL, OPT_LEVELS},
    {"top", required_argument, NULL, OPT_TOP},
    {"rank", required_argument, NULL, OPT_RANK},
    {"alpha", required_argument, NULL, OPT_ALPHA},
    {"heatmap", required_argument, NULL, OPT_HEATMAP},
    {"heatmap-bins", required_argument, NULL, OPT_HEATMAP_BINS},
    {"clusters", required_argument, NULL, OPT_CLUSTERS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"cluster-all", no_argument, NULL, OPT_CLUSTER_ALL},
    {"embedding", required_argument, NULL, OPT_EMBEDDING},
    {"tags", required_argument, NULL, OPT_TAGS},
    {"fail-if", required_argument, NULL, OPT_FAIL_IF},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"tagset", required_argument, NULL, OPT_TAGSET},
    {"tag-names", required_argument, NULL, OPT_TAG_NAMES},
    {"reviewer", required_argument, NULL, OPT_REVIEWER},
    {"order", required_argument, NULL, OPT_ORDER},
    {"sample", required_argument, NULL, OPT_SAMPLE},
    {"theme", required_argument, NULL, OPT_THEME},
    {"mono", no_argument, NULL, OPT_MONO},
    {"ascii", no_argument, NULL, OPT_ASCII},
    {"compare", required_argument, NULL, OPT_COMPARE},
    {"pred2", required_argument, NULL, OPT_PRED2},
    {"costs", required_argument, NULL, OPT_COSTS},
    {"cost-fp", required_argument, NULL, OPT_COST_FP},
    {"cost-fn", required_argument, NULL, OPT_COST_FN},
    {"target-accuracy", required_argument, NULL, OPT_TARGET_ACCURACY},
    {"protected", required_argument, NULL, OPT_PROTECTED},
    {"no-data-checks", no_argument, NULL, OPT_NO_DATA_CHECKS},
    {NULL, 0, NULL, 0},
};

static void parse_option(cli *c, int opt, char *arg)
{
    switch (opt) {
    case 'h':
        fputs(USAGE, stdout);
        fputs(HELP, stdout);
        exit(EXIT_OK);
    case 'V':
        printf("faultline %s\n", FL_VERSION);
        exit(EXIT_OK);
    case 'f':
        if (c->cmd == CMD_TAGS) {
            if (strcmp(arg, "csv") && strcmp(arg, "jsonl"))
                usage_error("--format %s: tags are exported as csv or jsonl", arg);
            c->format = arg;
            break;
        }
        if (strcmp(arg, "md") && strcmp(arg, "json") && strcmp(arg, "markdown"))
            usage_error("--format %s: use md or json", arg);
        c->format = strcmp(arg, "json") == 0 ? "json" : "md";
        break;
    case 'o':
        c->output = arg;
        break;
    case 'd':
        c->load.delimiter = parse_delimiter(arg);
        break;
    case 'q':
        c->quiet = true;
        break;
    case OPT_LABEL:
        c->roles.label = arg;
        break;
    case OPT_PRED:
        c->roles.pred = arg;
        break;
    case OPT_SCORE:
        c->roles.score = arg;
        break;
    case OPT_ID:
        c->roles.id = arg;
        break;
    case OPT_TEXT:
        c->roles.text = arg;
        snprintf(c->text_buf, sizeof c->text_buf, "%s", arg);
        c->load.ntext_cols = split_list(c->text_buf, c->text_cols, MAX_LIST);
        c->load.text_cols = c->text_cols;
        break;
    case OPT_TIME:
        c->roles.time = arg;
        c->time_cols[0] = arg;
        c->load.time_cols = c->time_cols;
        c->load.ntime_cols = 1;
        break;
    case OPT_TASK:
        c->roles.task = parse_task(arg);
        break;
    case OPT_POSITIVE:
        c->roles.positive = arg;
        break;
    case OPT_FAIL_ABOVE: {
        char *end;
        c->roles.fail_above = strtod(arg, &end);
        if (*end || end == arg || !(c->roles.fail_above >= 0))
            usage_error("--fail-above %s: needs a number >= 0", arg);
        break;
    }
    case OPT_BINS:
        c->bins.quantile_bins = (uint32_t)parse_count(arg, "--bins");
        if (c->bins.quantile_bins < 1 || c->bins.quantile_bins > 1000)
            usage_error("--bins %s: use 1 to 1000", arg);
        break;
    case OPT_MIN_SUPPORT: {
        size_t len = strlen(arg);
        c->min_support_given = true;
        if (len && arg[len - 1] == '%') {
            char *end;
            c->min_support_pct = strtod(arg, &end);
            if (end != arg + len - 1 || !(c->min_support_pct > 0 && c->min_support_pct <= 100))
                usage_error("--min-support %s: use a row count or a percentage in (0, 100]", arg);
        } else {
            c->report.min_support = parse_count(arg, "--min-support");
            c->search.min_support = c->report.min_support ? c->report.min_support : 1;
        }
        break;
    }
    case OPT_HEATMAP:
        c->heatmap = arg;
        break;
    case OPT_HEATMAP_BINS:
        if (strcmp(arg, "quantile") && strcmp(arg, "equal"))
            usage_error("--heatmap-bins %s: use quantile or equal", arg);
        c->heatmap_equal_width = strcmp(arg, "equal") == 0;
        break;
    case OPT_CLUSTERS: {
        size_t k = parse_count(arg, "--clusters");
        if (k == 1 || k > CLU_K_LIMIT)
            usage_error("--clusters %s: use 0 (no clustering) or 2 to %d", arg, CLU_K_LIMIT);
        c->clusters_off = k == 0;
        c->cluster.k = (unsigned)k;
        break;
    }
    case OPT_SEED:
        c->cluster.seed = parse_count(arg, "--seed");
        c->queue.seed = c->cluster.seed;
        break;
    case OPT_ORDER:
        if (!rq_order_parse(arg, &c->queue.order))
            usage_error("--order %s: use loss, random, uncertainty or slice", arg);
        break;
    case OPT_SAMPLE:
        c->queue.sample = parse_count(arg, "--sample");
        if (c->queue.sample == 0)
            usage_error("--sample needs at least 1");
        break;
    case OPT_CLUSTER_ALL:
        c->cluster.all_rows = true;
        break;
    case OPT_THEME:
        c->theme = arg;
        break;
    case OPT_MONO:
        c->mono = true;
        break;
    case OPT_ASCII:
        c->ascii = true;
        break;
    case OPT_EMBEDDING:
        if (!*arg)
            usage_error("--embedding needs a column prefix, such as emb_");
        c->cluster.embedding = arg;
        break;
    case OPT_TAGS:
        c->tags_path = arg;
        break;
    case OPT_FAIL_IF:
        if (c->nfail_if == MAX_LIST)
            usage_error("--fail-if: at most %d conditions", MAX_LIST);
        c->fail_if[c->nfail_if++] = arg;
        break;
    case OPT_CONFIG: /* read before the other options (with_config) */
        break;
    case OPT_TAGSET:
        c->tagset = arg;
        break;
    case OPT_TAG_NAMES:
        c->tag_names = arg;
        break;
    case OPT_REVIEWER:
        if (!*arg || strlen(arg) >= JR_NAME_MAX || strpbrk(arg, "\"\\\n"))
            usage_error("--reviewer %s: give a name of 1 to %d characters without quotes",
                        arg, JR_NAME_MAX - 1);
        c->reviewer = arg;
        break;
    case OPT_FILTER:
        if (c->nfilters == MAX_LIST)
            usage_error("--filter: at most %d filters", MAX_LIST);
        c->filters[c->nfilters++] = arg;
        break;
    case OPT_LEVELS: {
        size_t l = parse_count(arg, "--levels");
        if (l > SRCH_MAX_LEVELS)
            usage_error("--levels %s: use 0 (no search) to %d", arg, SRCH_MAX_LEVELS);
        c->search_off = l == 0;
        c->search.levels = l ? (unsigned)l : 1;
        break;
    }
    case OPT_TOP:
        c->search.top_k = parse_count(arg, "--top");
        if (c->search.top_k == 0)
            usage_error("--top needs at least 1");
        break;
    case OPT_RANK:
        if (strcmp(arg, "significance") == 0)
            c->search.rank = SRCH_SIGNIFICANCE;
        else if (strcmp(arg, "sliceline") == 0)
            c->search.rank = SRCH_SLICELINE;
        else
            usage_error("--rank %s: use significance or sliceline", arg);
        break;
    case OPT_ALPHA: {
        char *end;
        c->search.alpha = strtod(arg, &end);
        if (*end || end == arg || !(c->search.alpha > 0 && c->search.alpha <= 1))
            usage_error("--alpha %s: needs a number in (0, 1]", arg);
        break;
    }
    case OPT_SLICES:
        c->report.md_slices = parse_count(arg, "--slices");
        break;
    case OPT_NA:
        if (c->load.nna == MAX_LIST)
            usage_error("--na: at most %d extra tokens", MAX_LIST);
        c->na[c->load.nna++] = arg;
        c->load.na = c->na;
        break;
    case OPT_THREADS:
        c->load.threads = (int)parse_count(arg, "--threads");
        break;
    case OPT_COMPARE:
        c->dec.compare_path = arg;
        break;
    case OPT_PRED2:
        c->roles.pred2 = arg;
        break;
    case OPT_COSTS:
        c->dec.costs_path = arg;
        break;
    case OPT_COST_FP:
    case OPT_COST_FN: {
        char *end;
        double v = strtod(arg, &end);
        if (*end || end == arg || !isfinite(v))
            usage_error("%s %s: needs a number", opt == OPT_COST_FP ? "--cost-fp" : "--cost-fn",
                        arg);
        *(opt == OPT_COST_FP ? &c->dec.cost_fp : &c->dec.cost_fn) = v;
        break;
    }
    case OPT_TARGET_ACCURACY: {
        char *end;
        c->dec.target_accuracy = strtod(arg, &end);
        if (*end || end == arg || !(c->dec.target_accuracy > 0 && c->dec.target_accuracy <= 1))
            usage_error("--target-accuracy %s: needs a number in (0, 1]", arg);
        break;
    }
    case OPT_PROTECTED:
        c->dec.protected_cols = arg;
        break;
    case OPT_NO_DATA_CHECKS:
        c->dec.data_checks = false;
        break;
    default:
        fputs(USAGE, stderr);
        exit(EXIT_USAGE);
    }
}

/* In an option file, "tags" names the tag set (tags mislabeled, typo, ...) and "journal" the
 * journal's path, which the command line spells --tag-names and --tags. */
static const char *config_spelling(const char *name)
{
    if (strcmp(name, "tags") == 0)
        return "tag-names";
    if (strcmp(name, "journal") == 0)
        return "tags";
    if (strcmp(name, "tag-names") == 0)
        return NULL; /* write it "tags" */
    return name;
}

static bool option_known(const char *name, bool *takes_value)
{
    name = config_spelling(name);
    if (!name)
        return false;
    for (const struct option *o = LONG_OPTS; o->name; o++)
        if (strcmp(o->name, name) == 0 && strcmp(name, "config") != 0) {
            *takes_value = o->has_arg == required_argument;
            return true;
        }
    return false;
}

/* The option file: --config FILE (or --config=FILE), else faultline.conf in the working
 * directory when there is one; NULL for none. */
static const char *config_path(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--config") == 0)
            return i + 1 < argc ? argv[i + 1] : NULL;
        if (strncmp(argv[i], "--config=", 9) == 0)
            return argv[i] + 9;
    }
    return access("faultline.conf", F_OK) == 0 ? "faultline.conf" : NULL;
}

/* The arguments with the option file's in front, so that the command line overrides it.
 * The merged vector lives as long as the program (the options point into it). */
static char **with_config(int *argc, char **argv)
{
    static cfg_args cfg;
    static char **merged;
    const char *path = config_path(*argc, argv);
    if (!path)
        return argv;
    err e = {0};
    if (cfg_read_args(path, option_known, &cfg, &e) != E_OK) {
        fprintf(stderr, "faultline: %s\n", e.msg);
        exit(EXIT_USAGE);
    }
    merged = malloc(((size_t)*argc + cfg.argc + 1) * sizeof *merged);
    if (!merged) {
        fprintf(stderr, "faultline: out of memory\n");
        exit(EXIT_INPUT);
    }
    merged[0] = argv[0];
    for (size_t i = 0; i < cfg.argc; i++) /* "--tags" and "--journal" as an option file means them */
        if (strcmp(cfg.argv[i], "--tags") == 0 || strcmp(cfg.argv[i], "--journal") == 0) {
            const char *real = config_spelling(cfg.argv[i] + 2);
            char *renamed = malloc(strlen(real) + 3);
            if (!renamed) {
                fprintf(stderr, "faultline: out of memory\n");
                exit(EXIT_INPUT);
            }
            sprintf(renamed, "--%s", real);
            free(cfg.argv[i]);
            cfg.argv[i] = renamed;
            i++; /* skip its value */
        }
    memcpy(merged + 1, cfg.argv, cfg.argc * sizeof *merged);
    memcpy(merged + 1 + cfg.argc, argv + 1, ((size_t)*argc - 1) * sizeof *merged);
    *argc += (int)cfg.argc;
    merged[*argc] = NULL;
    return merged;
}

static void parse_args(cli *c, int argc, char **argv)
{
    memset(c, 0, sizeof *c);
    c->format = "md";
    ld_opts_init(&c->load);
    role_opts_init(&c->roles);
    bin_opts_init(&c->bins);
    rpt_opts_init(&c->report);
    srch_opts_init(&c->search);
    clu_opts_init(&c->cluster);
    dec_opts_init(&c->dec);
    c->dec.load = &c->load; /* the other file loads and reads its roles as FILE does */
    c->dec.roles = &c->roles;
    c->queue = (rq_opts){.order = RQ_LOSS, .sample = 0, .seed = 1};
    c->min_support_pct = NAN;
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "report") == 0) {
        c->cmd = CMD_REPORT;
        first = 2;
    } else if (argc > 1 && strcmp(argv[1], "bench") == 0) {
        c->cmd = CMD_BENCH;
        first = 2;
    } else if (argc > 1 && strcmp(argv[1], "tags") == 0) {
        c->cmd = CMD_TAGS;
        c->format = "csv";
        first = 2;
    } else if (argc > 1 && strcmp(argv[1], "review") == 0) {
        c->cmd = CMD_REVIEW;
        first = 2;
    }
    argv[first - 1] = argv[0];
    argc -= first - 1;
    argv += first - 1;
    argv = with_config(&argc, argv);
    opterr = 0; /* our own message names the flag */
    int opt;
    while ((opt = getopt_long(argc, argv, ":hVf:o:d:q", LONG_OPTS, NULL)) != -1) {
        if (opt == '?')
            usage_error("unknown option '%s'", argv[optind - 1]);
        if (opt == ':')
            usage_error("option '%s' needs a value", argv[optind - 1]);
        parse_option(c, opt, optarg);
    }
    if (optind >= argc)
        usage_error("no FILE given");
    if (optind + 1 < argc)
        usage_error("unexpected argument '%s'", argv[optind + 1]);
    c->file = argv[optind];
    c->bins.max_values = 12;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The progress line: only on a terminal, and only once a load has taken half a second. */
typedef struct progress {
    double start;
    bool shown;
    const char *file;
} progress;

static int show_progress(void *ctx, size_t done, size_t total, size_t rows)
{
    progress *p = ctx;
    double t = now_s() - p->start;
    if (t < 0.5)
        return 0;
    double mbs = (double)done / 1e6 / t;
    if (total)
        fprintf(stderr, "\rloading %s: %.0f of %.0f MB, %zu rows, %.0f MB/s, %.1f s left   ",
                p->file, (double)done / 1e6, (double)total / 1e6, rows, mbs,
                mbs > 0 ? ((double)(total - done) / 1e6) / mbs : 0.0);
    else
        fprintf(stderr, "\rloading %s: %.0f MB, %zu rows, %.0f MB/s   ", p->file,
                (double)done / 1e6, rows, mbs);
    p->shown = true;
    return 0;
}

/* Everything the analysis produced, freed in one place. */
typedef struct analysis {
    dataset *ds;
    roles r;
    outcome o;
    binning b;
    engine *eng; /* the filter stack and the views of the selection */
    srch_result found;
    bool searched;
    clu_result clusters;
    bool clustered;
    tag_state *tags; /* NULL when there is no journal */
    tg_load_report tag_load;
    tag_view tag_view; /* what filters read of the tags */
    char *tagset;      /* owned; the --tagset file's text */
    char tags_off[700]; /* the explorer's: why tags are read-only or off; "" when writable */
    decisions dec;      /* the decision sections (issue 7) */
    double load_s, prepare_s;
} analysis;

static void analysis_done(analysis *a)
{
    dec_done(&a->dec);
    srch_done(&a->found);
    clu_done(&a->clusters);
    tv_done(&a->tag_view);
    tg_close(a->tags);
    free(a->tagset);
    eng_free(a->eng);
    bin_done(&a->b);
    out_done(&a->o);
    role_done(&a->r);
    ds_free(a->ds);
}

/* Pushes every --filter; one that does not compile is a usage error shown with a caret
 * under the offending part. */
static err_code push_filters(const cli *c, analysis *a, err *e)
{
    for (size_t i = 0; i < c->nfilters; i++) {
        flt_error where = {0, 0};
        err_code rc = eng_push_filter(a->eng, c->filters[i], e, &where);
        if (rc == E_NOMEM)
            return rc;
        if (rc != E_OK) {
            /* "faultline: --filter: EXPR" then the caret line, shifted by that prefix so
             * the caret stands under the offending part of EXPR */
            static const char prefix[] = "faultline: --filter: ";
            char shown[sizeof e->msg];
            flt_format_error(c->filters[i], e, &where, shown, sizeof shown);
            char *nl = strchr(shown, '\n');
            const char *caret = "";
            if (nl) {
                *nl = '\0';
                caret = nl + 1;
            }
            err_set(e, E_USAGE, "--filter: %s%s%*s%s", shown, nl ? "\n" : "",
                    nl ? (int)(sizeof prefix - 1) : 0, "", caret);
            return E_USAGE;
        }
    }
    return E_OK;
}

/* --heatmap X,Y: two dimension names. */
static err_code choose_heatmap(const cli *c, analysis *a, err *e)
{
    if (!c->heatmap)
        return E_OK;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", c->heatmap);
    char *comma = strchr(buf, ',');
    if (!comma)
        return err_set(e, E_USAGE, "--heatmap %s: give two columns, X,Y", c->heatmap);
    *comma = '\0';
    err_code rc = eng_set_heatmap_names(a->eng, buf, comma + 1, c->heatmap_equal_width, e);
    if (rc != E_OK)
        err_prefix(e, "--heatmap");
    return rc;
}

static err_code run_search(const cli *c, analysis *a, err *e)
{
    if (c->search_off)
        return E_OK;
    const eng_result *res = eng_current(a->eng);
    srch_opts so = c->search;
    if (!isnan(c->min_support_pct)) /* a share of the evaluated rows selected */
        so.min_support = (size_t)ceil(c->min_support_pct / 100.0 * (double)res->m.n);
    if (so.min_support == 0 && c->min_support_given)
        so.min_support = 1;
    err_code rc = srch_run(&a->found, &a->b, &a->o, &res->sel, &so, e);
    a->searched = rc == E_OK;
    return rc;
}

/* Clusters the selection's errors (or rows) for the report. */
static err_code run_clusters(const cli *c, analysis *a, err *e)
{
    if (c->clusters_off)
        return E_OK;
    const eng_result *res = eng_current(a->eng);
    err_code rc = clu_run(&a->clusters, a->ds, &a->r, &a->o, &a->b, &res->sel, &c->cluster, e);
    a->clustered = rc == E_OK;
    return rc;
}

/* Reads a small text file whole (the tag set); E_IO naming it. */
static err_code read_text(const char *path, char **out, err *e)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return err_set(e, E_IO, "cannot read %s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int ch;
    while ((ch = fgetc(f)) != EOF) {
        if (len + 2 > cap) {
            char *nb = realloc(buf, cap ? 2 * cap : 1024);
            if (!nb) {
                free(buf);
                fclose(f);
                return err_set(e, E_NOMEM, "out of memory reading %s", path);
            }
            buf = nb;
            cap = cap ? 2 * cap : 1024;
        }
        buf[len++] = (char)ch;
    }
    fclose(f);
    if (!buf && !(buf = calloc(1, 1)))
        return err_set(e, E_NOMEM, "out of memory reading %s", path);
    buf[len] = '\0';
    *out = buf;
    return E_OK;
}

/* Opens the reviewers' tags. Reports, the export and filters read them (read-only, and only
 * when there is a journal: the default one beside the file, or --tags). The explorer and
 * review mode open them read-write (the first tag creates the journal); when that cannot be done (a
 * read-only directory, standard input without --tags) they still run: with the tags
 * read-only when the journal can be read, else with tags off, and a->tags_off says why. */
static err_code open_tags(const cli *c, analysis *a, err *e)
{
    char def[4096];
    snprintf(def, sizeof def, "%s.tags.jsonl", c->file);
    bool exists = c->tags_path || (strcmp(c->file, "-") != 0 && access(def, F_OK) == 0);
    err_code rc;
    /* a --tagset that cannot be read is a mistake even when there is nothing to tag yet */
    if (c->tagset && (rc = read_text(c->tagset, &a->tagset, e)) != E_OK)
        return rc;
    if (!exists && c->cmd != CMD_TAGS && !c->interactive)
        return E_OK;
    tg_opts to = {c->tags_path, a->tagset ? a->tagset : c->tag_names, c->reviewer, a->r.id,
                  !c->interactive};
    rc = tg_open(&a->tags, a->ds, &to, &a->tag_load, e);
    if (rc != E_OK && c->interactive && (rc == E_IO || rc == E_USAGE)) {
        const char *hint = rc == E_IO && !strstr(e->msg, "--tags")
                               ? " (choose a writable place with --tags PATH)"
                               : "";
        /* an existing journal can still be shown and filtered on */
        const char *path = c->tags_path ? c->tags_path : def;
        err ro = {0};
        to.read_only = true;
        bool readable = strcmp(path, "-") != 0 && access(path, R_OK) == 0 &&
                        tg_open(&a->tags, a->ds, &to, &a->tag_load, &ro) == E_OK;
        snprintf(a->tags_off, sizeof a->tags_off, "tags %s: %s%s",
                 readable ? "are read-only" : "are off", e->msg, hint);
        memset(e, 0, sizeof *e);
        if (!readable)
            return E_OK;
        rc = E_OK;
    }
    if (rc != E_OK) {
        if (c->tagset && rc == E_PARSE)
            err_prefix(e, "%s", c->tagset);
        return rc;
    }
    if ((rc = tv_init(&a->tag_view, a->ds->nrows, e)) != E_OK ||
        (rc = tv_sync(&a->tag_view, a->tags, e)) != E_OK)
        return rc;
    eng_set_tags(a->eng, &a->tag_view.ft);
    if (c->interactive || c->quiet) /* the explorer says it on its status line */
        return E_OK;
    const jr_replay_report *rr = &a->tag_load.replay;
    if (rr->bad) {
        char skipped[512];
        jr_describe_skipped(rr, skipped, sizeof skipped);
        fprintf(stderr, "faultline: %s: %s\n", tg_journal_path(a->tags), skipped);
    }
    if (a->tag_load.other_fingerprint && !a->tag_load.unresolved)
        fprintf(stderr, "faultline: %s: %zu tag operation%s made on another version of %s; "
                        "the rows %s still match\n", tg_journal_path(a->tags),
                a->tag_load.other_fingerprint,
                a->tag_load.other_fingerprint == 1 ? " was" : "s were", c->file,
                a->tag_load.other_fingerprint == 1 ? "it names" : "they name");
    if (a->tag_load.unresolved)
        fprintf(stderr, "faultline: %s: %zu tag operation%s rows that %s no longer has "
                        "(first: %s)\n", tg_journal_path(a->tags), a->tag_load.unresolved,
                a->tag_load.unresolved == 1 ? " names" : "s name", c->file,
                a->tag_load.first_unresolved);
    return E_OK;
}

static err_code run_analysis(cli *c, analysis *a, err *e)
{
    memset(a, 0, sizeof *a);
    progress prog = {now_s(), false, c->file};
    if (!c->quiet && isatty(2)) {
        c->load.progress = show_progress;
        c->load.progress_ctx = &prog;
    }
    double t0 = now_s();
    err_code rc = ld_csv_file(&a->ds, c->file, &c->load, e);
    if (prog.shown)
        fputs("\r\033[K", stderr);
    if (rc != E_OK)
        return rc;
    a->load_s = now_s() - t0;
    t0 = now_s();
    rc = role_detect(&a->r, a->ds, &c->roles, e);
    if (rc != E_OK) {
        err_prefix(e, "%s", c->file);
        return rc;
    }
    if ((rc = out_build(&a->o, a->ds, &a->r, e)) != E_OK)
        return rc;
    if ((rc = bin_build(&a->b, a->ds, &a->r, &a->o, &c->bins, e)) != E_OK)
        return rc;
    /* --text names the column to cluster on: the first one given */
    if (c->load.ntext_cols > 0)
        c->cluster.text_col = ds_col_find(a->ds, c->text_cols[0]);
    eng_opts eo;
    eng_opts_init(&eo);
    eo.min_support = c->report.min_support;
    eo.ncases = 20;
    eo.hm_x = eo.hm_y = ENG_DIM_NONE; /* the report has a heatmap only when asked for */
    if ((rc = eng_new(&a->eng, a->ds, &a->r, &a->o, &a->b, &eo, e)) != E_OK)
        return rc;
    /* the second model and the categories first: filters may read them */
    c->dec.min_support = c->report.min_support;
    if ((rc = dec_prepare(&a->dec, &c->dec, c->file, a->ds, &a->r, &a->o, &a->b, e)) != E_OK)
        return rc;
    if (a->dec.has_second)
        eng_set_compare(a->eng, &a->dec.filter_cmp);
    if (a->dec.has_cats)
        eng_set_categories(a->eng, a->dec.cats.bits);
    if ((rc = open_tags(c, a, e)) != E_OK || (rc = push_filters(c, a, e)) != E_OK ||
        (rc = choose_heatmap(c, a, e)) != E_OK)
        return rc;
    if ((rc = eng_recompute(a->eng, e)) != E_OK)
        return rc;
    if ((rc = run_search(c, a, e)) == E_OK)
        rc = run_clusters(c, a, e);
    if (rc == E_OK)
        rc = dec_compute(&a->dec, &c->dec, &a->o, &a->b, &eng_current(a->eng)->sel, e);
    a->prepare_s = now_s() - t0;
    return rc;
}

/* What the report writers and the gate read; filters[] (MAX_LIST entries) is filled too. */
static rpt_input make_input(const analysis *a, const char **filters)
{
    const eng_result *res = eng_current(a->eng);
    size_t nf = eng_filter_count(a->eng);
    for (size_t i = 0; i < nf && i < MAX_LIST; i++)
        filters[i] = eng_filter_text(a->eng, i);
    return (rpt_input){
        .ds = a->ds,
        .r = &a->r,
        .o = &a->o,
        .m = &res->m,
        .b = &a->b,
        .slices = &res->slices,
        .worst = &res->cases,
        .discovered = a->searched ? &a->found : NULL,
        .filters = filters,
        .nfilters = nf,
        .nselected = res->nsel,
        .rank = &res->rank,
        .hm = &res->hm,
        .clusters = a->clustered ? &a->clusters : NULL,
        .tags = a->tags,
        .tag_load = &a->tag_load,
        .sel = &res->sel,
        .compare = a->dec.has_cmp ? &a->dec.cmp : NULL,
        .compare_a = a->dec.name_a,
        .compare_b = a->dec.name_b,
        .cost_matrix = a->dec.has_costs ? &a->dec.costs : NULL,
        .cost = a->dec.has_cost ? &a->dec.cost : NULL,
        .sweep = a->dec.has_sweep ? &a->dec.sweep : NULL,
        .current_threshold = a->dec.current_threshold,
        .selective = a->dec.has_selective ? &a->dec.selective : NULL,
        .drift = a->dec.has_drift ? &a->dec.drift : NULL,
        .fairness = a->dec.nfair ? a->dec.fair : NULL,
        .nfairness = a->dec.nfair,
        .checks = a->dec.dc_full ? &a->dec.dc : NULL,
        .categories = a->dec.has_cats ? &a->dec.cats : NULL,
        .category_slices = a->dec.has_cats ? a->dec.cat_slices : NULL,
        .next_steps = true,
    };
}

static err_code write_report(const cli *c, const analysis *a, FILE *f, err *e)
{
    const char *filters[MAX_LIST];
    rpt_input in = make_input(a, filters);
    if (c->cmd == CMD_TAGS)
        return rpt_tags_export(f, &in, strcmp(c->format, "jsonl") == 0, e);
    if (strcmp(c->format, "json") == 0)
        return rpt_json(f, &in, &c->report, e);
    return rpt_markdown(f, &in, &c->report, e);
}

/* --fail-if: exit 1 naming every condition that holds, after the report is written. */
static int gate(const cli *c, const analysis *a)
{
    if (c->nfail_if == 0)
        return EXIT_OK;
    const char *filters[MAX_LIST];
    rpt_input in = make_input(a, filters);
    static gate_figure fig[GATE_MAX_FIGURES];
    size_t nfig = gate_figures(&in, fig, GATE_MAX_FIGURES);
    size_t nfailed = 0;
    for (size_t i = 0; i < c->nfail_if; i++) {
        bool failed;
        char what[256];
        err e = {0};
        if (gate_check(c->fail_if[i], fig, nfig, &failed, what, sizeof what, &e) != E_OK) {
            fprintf(stderr, "faultline: %s\n", e.msg);
            return EXIT_USAGE;
        }
        if (failed) {
            fprintf(stderr, "faultline: gate failed: %s (--fail-if '%s')\n", what,
                    c->fail_if[i]);
            nfailed++;
        }
    }
    return nfailed ? EXIT_GATE : EXIT_OK;
}

static int report_command(const cli *c, analysis *a)
{
    err e = {0};
    FILE *f = stdout;
    if (c->output && !(f = fopen(c->output, "w"))) {
        fprintf(stderr, "faultline: cannot write %s: %s\n", c->output, strerror(errno));
        return EXIT_INPUT;
    }
    err_code rc = write_report(c, a, f, &e);
    if (f != stdout && fclose(f) != 0 && rc == E_OK)
        rc = err_set(&e, E_IO, "cannot write %s: %s", c->output, strerror(errno));
    if (rc != E_OK) {
        fprintf(stderr, "faultline: %s\n", e.msg);
        return EXIT_INPUT;
    }
    return gate(c, a);
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* Seconds of one slice search at L levels over every row (significance ranking). */
static double time_search(const analysis *a, unsigned levels, double *peak_mb, err *e)
{
    srch_opts so;
    srch_opts_init(&so);
    so.levels = levels;
    srch_result r;
    double t0 = now_s();
    err_code rc = srch_run(&r, &a->b, &a->o, NULL, &so, e);
    double s = now_s() - t0;
    if (rc != E_OK)
        return NAN;
    srch_done(&r);
    *peak_mb = peak_rss_mb();
    return s;
}

/* Loads, analyses and renders the report into /dev/null, then times what the explorer does
 * on each keystroke (recomputes), a heatmap and slice searches; prints one JSON object. */
static int bench_command(const cli *c, analysis *a)
{
    err e = {0};
    FILE *sink = fopen("/dev/null", "w");
    if (!sink) {
        fprintf(stderr, "faultline: cannot open /dev/null\n");
        return EXIT_INPUT;
    }
    cli json = *c;
    json.format = "json";
    double t0 = now_s();
    err_code rc = write_report(&json, a, sink, &e);
    double json_s = now_s() - t0;
    t0 = now_s();
    if (rc == E_OK)
        rc = write_report(c, a, sink, &e);
    double md_s = now_s() - t0;
    fclose(sink);
    double report_peak = peak_rss_mb();
    eng_bench_figures fig = {0};
    while (rc == E_OK && eng_filter_count(a->eng)) /* the figures are for an empty stack */
        eng_pop_filter(a->eng);
    if (rc == E_OK && !eng_current(a->eng)->hm.valid) {
        /* the two columns that matter most, as the explorer opens */
        const col_ranking *rk = &eng_current(a->eng)->rank;
        int axis[2] = {-1, -1};
        for (size_t i = 0, k = 0; i < rk->len && k < 2; i++)
            if (rk->v[i].col >= 0)
                axis[k++] = (int)rk->v[i].dim;
        if (axis[1] >= 0)
            rc = eng_set_heatmap(a->eng, axis[0], axis[1], false, &e);
    }
    if (rc == E_OK)
        rc = eng_bench(a->eng, 21, &fig, &e);
    double l2_peak = NAN, l3_peak = NAN;
    double l2 = rc == E_OK ? time_search(a, 2, &l2_peak, &e) : NAN;
    double l3 = rc == E_OK ? time_search(a, 3, &l3_peak, &e) : NAN;
    if (rc != E_OK || isnan(l2) || isnan(l3)) {
        fprintf(stderr, "faultline: %s\n", e.msg);
        return EXIT_INPUT;
    }
    double mb = (double)a->ds->nbytes / 1e6;
    printf("{\"file\":\"%s\",\"rows\":%zu,\"bytes\":%zu,\"cores\":%ld,\"load_s\":%.3f,"
           "\"load_mb_per_s\":%.1f,\"rows_per_s\":%.0f,\"analysis_s\":%.3f,"
           "\"report_json_s\":%.3f,\"report_md_s\":%.3f,\"report_total_s\":%.3f,"
           "\"peak_rss_mb_report\":%.1f,\"dataset_mb\":%.1f,"
           "\"recompute_ms\":%.2f,\"recompute_all_ms\":%.2f,\"heatmap_ms\":%.2f,"
           "\"filter_ms\":%.2f,\"selective_filters\":%zu,\"selected_share\":%.3f,"
           "\"search_l2_s\":%.3f,\"search_l3_s\":%.3f,\"peak_rss_mb\":%.1f}\n",
           c->file, a->ds->nrows, a->ds->nbytes, sysconf(_SC_NPROCESSORS_ONLN), a->load_s,
           a->load_s > 0 ? mb / a->load_s : 0.0,
           a->load_s > 0 ? (double)a->ds->nrows / a->load_s : 0.0, a->prepare_s, json_s, md_s,
           a->prepare_s + json_s, report_peak, (double)ds_bytes(a->ds) / 1e6, fig.recompute_ms,
           fig.recompute_all_ms, fig.heatmap_ms, fig.filter_ms, fig.nfilters, fig.selected_share,
           l2, l3, peak_rss_mb());
    return EXIT_OK;
}

/* The explorer over the loaded file; the search runs inside it, off the input loop. */
static int explore_command(const cli *c, analysis *a, bool search_off, bool clusters_off)
{
    ui_opts uo;
    ui_opts_init(&uo);
    uo.theme = c->theme;
    uo.mono = c->mono;
    uo.ascii = c->ascii;
    uo.search = c->search;
    uo.search_off = search_off;
    uo.search_min_support_pct = c->min_support_pct;
    uo.cluster = c->cluster;
    uo.clusters_off = clusters_off;
    ui_input in = {.file = c->file, .ds = a->ds, .r = &a->r, .o = &a->o, .b = &a->b, .eng = a->eng};
    in.tags = a->tags;
    in.tagview = a->tags ? &a->tag_view : NULL;
    in.tag_load = &a->tag_load;
    in.tags_off = a->tags_off[0] ? a->tags_off : NULL;
    in.review = c->cmd == CMD_REVIEW;
    in.queue = c->queue;
    in.dec = &a->dec;
    in.dec_opts = &c->dec;
    err e = {0};
    if (ui_explore(&in, &uo, &e) != E_OK) {
        fprintf(stderr, "faultline: %s\n", e.msg);
        return e.code == E_USAGE ? EXIT_USAGE : EXIT_INPUT;
    }
    return EXIT_OK;
}

/* A usage error of a decision flag that does not fit the file (exit 2): an unknown
 * --protected column, binary costs on a multiclass file, two second models. Errors in the
 * other file or the cost file itself are input errors (exit 3). */
static bool is_decision_flag_error(const char *msg)
{
    static const char *const FLAGS[] = {"--protected", "--cost-fp", "--cost-fn", "--costs:",
                                        "--target-accuracy", "--compare and --pred2"};
    for (size_t i = 0; i < sizeof FLAGS / sizeof FLAGS[0]; i++)
        if (strncmp(msg, FLAGS[i], strlen(FLAGS[i])) == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    cli c;
    parse_args(&c, argc, argv);
    st_init();
    /* A file-size limit (ulimit -f) must make a tag's write fail with EFBIG, reported on the
     * status line, rather than kill the explorer. */
    signal(SIGXFSZ, SIG_IGN);
    if (c.cmd == CMD_REVIEW && !(isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))) {
        fprintf(stderr, "faultline: review needs a terminal: standard input and output must "
                        "be one (faultline tags FILE exports the tags)\n");
        return EXIT_USAGE;
    }
    if (c.cmd == CMD_TAGS) /* the export needs neither the search nor the clusters */
        c.search_off = c.clusters_off = true;
    /* On a terminal, the bare command explores; piped or redirected, it prints the report.
     * The explorer runs the slice search and the clustering itself, off its input loop. */
    bool explore = (c.cmd == CMD_DEFAULT && !c.output && strcmp(c.format, "md") == 0 &&
                    isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) ||
                   c.cmd == CMD_REVIEW;
    c.interactive = explore;
    bool search_off = c.search_off, clusters_off = c.clusters_off;
    if (explore)
        c.search_off = c.clusters_off = true;
    analysis a;
    err e = {0};
    err_code rc = run_analysis(&c, &a, &e);
    if (rc != E_OK) {
        fprintf(stderr, "faultline: %s\n", e.msg);
        analysis_done(&a);
        bool flag_error = rc == E_USAGE && (strncmp(e.msg, "--filter", 8) == 0 ||
                                            strncmp(e.msg, "--heatmap", 9) == 0 ||
                                            strncmp(e.msg, "--embedding", 11) == 0 ||
                                            is_decision_flag_error(e.msg));
        return flag_error ? EXIT_USAGE : EXIT_INPUT;
    }
    int status = explore                ? explore_command(&c, &a, search_off, clusters_off)
                 : c.cmd == CMD_BENCH ? bench_command(&c, &a)
                                      : report_command(&c, &a);
    analysis_done(&a);
    return status;
}
