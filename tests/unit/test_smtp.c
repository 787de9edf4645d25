/*
 * test_smtp.c — smtp_deliver() against tests/smtpd.py on loopback: a batch
 * arrives byte for byte over one connection, 550 and 450 recipients, the
 * server's 451 tempfail mode and a resend, a closed port, AUTH right and
 * wrong, STARTTLS required but not offered, invalid addresses, and the
 * throughput of 2,000 messages in batches of 500 (printed, not asserted).
 * Run from the repository root; the server runs on /usr/bin/python3.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "formats/mime.h"
#include "formats/smtp.h"
#include "base/util.h"

#define PYTHON "/usr/bin/python3"
#define SERVER "tests/smtpd.py"

/* ------------------------------------------------------------ server */

struct server {
    pid_t pid;
    int in_fd; /* the server's stdin; closing it stops the server */
    int port;
    char dir[64];
};

/* Start tests/smtpd.py with extra arguments (NULL-terminated) and read
 * its "PORT n" line. */
static void server_start(struct server *sv, ...)
{
    const char *argv[32] = {PYTHON, SERVER, "--port", "0", "--dir", NULL};
    int argc = 5;
    /* tmpfs when there is one: creating files on this disk costs ~0.7 ms
     * each, which would measure the test server's disk, not carebill */
    strcpy(sv->dir, access("/dev/shm", W_OK) == 0
                        ? "/dev/shm/carebill-smtp-XXXXXX"
                        : "/tmp/carebill-smtp-XXXXXX");
    assert_non_null(mkdtemp(sv->dir));
    argv[argc++] = sv->dir;
    va_list ap;
    va_start(ap, sv);
    for (const char *a; (a = va_arg(ap, const char *)) && argc < 31;)
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;

    int in[2], out[2];
    assert_int_equal(pipe(in), 0);
    assert_int_equal(pipe(out), 0);
    sv->pid = fork();
    assert_true(sv->pid >= 0);
    if (sv->pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execv(PYTHON, (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    sv->in_fd = in[1];
    char line[64];
    size_t n = 0;
    while (n < sizeof line - 1) {
        ssize_t r = read(out[0], line + n, 1);
        if (r <= 0 || line[n] == '\n')
            break;
        n++;
    }
    line[n] = '\0';
    close(out[0]);
    assert_int_equal(sscanf(line, "PORT %d", &sv->port), 1);
    assert_true(sv->port > 0);
}

static void rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void server_stop(struct server *sv)
{
    close(sv->in_fd);
    int status;
    for (int i = 0; i < 100; i++) {
        if (waitpid(sv->pid, &status, WNOHANG) == sv->pid)
            goto reaped;
        usleep(50000);
    }
    kill(sv->pid, SIGTERM);
    waitpid(sv->pid, &status, 0);
reaped:
    rm_dir(sv->dir);
}

static char *read_file(const char *dir, int seq, const char *ext, size_t *len)
{
    char p[512];
    struct err e;
    snprintf(p, sizeof p, "%s/%05d.%s", dir, seq, ext);
    return file_read(p, len, &e);
}

static int count_files(const char *dir, const char *ext)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *dot = strrchr(de->d_name, '.');
        if (dot && strcmp(dot + 1, ext) == 0)
            n++;
    }
    closedir(d);
    return n;
}

/* ------------------------------------------------------------ messages */

static struct smtp_config config(int port)
{
    struct smtp_config c = {.host = "127.0.0.1", .port = port,
                            .helo = "carebill.test", .timeout_s = 10};
    return c;
}

/* Compose a message to `to` with a subject and body; caller frees data. */
static void make_item(struct smtp_item *it, const char *to,
                      const char *subject, const char *body, int seq,
                      const struct mail_attachment *att)
{
    char mid[64];
    snprintf(mid, sizeof mid, "msg-%d@praktijk-noord.nl", seq);
    struct mail m = {
        .from_addr = "facturen@praktijk-noord.nl",
        .from_name = "Praktijk Noord",
        .to_addr = to, .to_name = "Zoë Müller-Lefèvre",
        .subject = subject, .body_text = body, .message_id = mid,
        .date_rfc5322 = "Mon, 23 Nov 2026 09:00:00 +0100",
        .attachments = att, .n_attachments = att ? 1 : 0,
    };
    struct err e;
    memset(it, 0, sizeof *it);
    it->envelope_from = "bounces@praktijk-noord.nl";
    it->rcpt = to;
    it->data = mime_compose(&m, &it->len, &e);
    assert_non_null(it->data);
}

static void free_items(struct smtp_item *it, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((char *)it[i].data);
}

/* Python's email package reads an .eml: subject, body, attachments. */
static char *py_summary(const char *dir, int seq)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "PYTHONIOENCODING=utf-8 " PYTHON " -c '\n"
             "import sys, email, email.policy, hashlib\n"
             "m = email.message_from_bytes(open(sys.argv[1], \"rb\").read(),"
             " policy=email.policy.default)\n"
             "print(m[\"subject\"])\n"
             "print(m.get_body().get_content().replace(\"\\r\\n\", \"\\n\"),"
             " end=\"\")\n"
             "for a in m.iter_attachments():\n"
             "    print(a.get_filename(),"
             " hashlib.sha256(a.get_content()).hexdigest())\n"
             "' %s/%05d.eml",
             dir, seq);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    struct sbuf b = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        sb_addn(&b, buf, n);
    assert_int_equal(pclose(p), 0);
    return sb_steal(&b);
}

/* ------------------------------------------------------------ cases */

/* 1.1 three messages in one call: all sent over one connection, each
 * stored once, byte for byte as composed (libesmtp added or rewrote no
 * header), and read back by an independent parser */
static void s1_1_batch(void **state)
{
    struct server sv;
    server_start(&sv, NULL);
    unsigned char pdf[3000];
    memcpy(pdf, "%PDF-1.7\n", 9);
    for (size_t i = 9; i < sizeof pdf; i++)
        pdf[i] = (unsigned char)(i * 7 + (i >> 8));
    struct mail_attachment att = {"factuur-2026-00042.pdf", "application/pdf",
                                  pdf, sizeof pdf};
    const char *subjects[] = {"Factuur 2026-00042",
                              "Rappel : facture impayée — 45,00 €",
                              "Herinnering: nog € 45,00 open voor 2026-00043"};
    const char *bodies[] = {"Beste Zoë,\n\nIn de bijlage je factuur.\n",
                            "Bonjour,\n.\nFrom the practice = us.\n",
                            "Beste,\n\nGraag betalen.\n"};
    struct smtp_item it[3];
    for (int i = 0; i < 3; i++)
        make_item(&it[i], "zoe@example.com", subjects[i], bodies[i], i + 1,
                  i == 0 ? &att : NULL);
    struct smtp_config c = config(sv.port);
    struct err e;
    assert_int_equal(smtp_deliver(&c, it, 3, &e), 0);
    char peer0[128] = "";
    for (int i = 0; i < 3; i++) {
        assert_int_equal(it[i].outcome, SMTP_SENT);
        char want[64];
        snprintf(want, sizeof want, "250 2.0.0 OK queued as %05d", i + 1);
        assert_string_equal(it[i].reply, want);

        size_t len;
        char *eml = read_file(sv.dir, i + 1, "eml", &len);
        assert_non_null(eml);
        assert_int_equal(len, it[i].len);
        assert_memory_equal(eml, it[i].data, len);
        free(eml);

        char *env = read_file(sv.dir, i + 1, "env", &len);
        assert_non_null(env);
        char *nl = strchr(env, '\n');
        *nl = '\0';
        if (i == 0)
            snprintf(peer0, sizeof peer0, "%s", env);
        assert_string_equal(env, peer0); /* one connection for all three */
        assert_string_equal(nl + 1, "MAIL FROM:<bounces@praktijk-noord.nl>\n"
                                    "RCPT TO:<zoe@example.com>\n");
        free(env);

        char *sum = py_summary(sv.dir, i + 1);
        char hex[65], want_sum[2048];
        sha256_hex(pdf, sizeof pdf, hex);
        snprintf(want_sum, sizeof want_sum, "%s\n%s%s%s%s", subjects[i],
                 bodies[i], i == 0 ? "factuur-2026-00042.pdf " : "",
                 i == 0 ? hex : "", i == 0 ? "\n" : "");
        assert_string_equal(sum, want_sum);
        free(sum);
    }
    assert_int_equal(count_files(sv.dir, "eml"), 3);
    free_items(it, 3);
    server_stop(&sv);
}

/* 1.2 a 550 recipient fails with the server's reply, a 450 one is kept
 * for a retry, the others in the same batch are sent */
static void s1_2_rejected(void **state)
{
    struct server sv;
    server_start(&sv, "--reject-rcpt", "nobody@*:550", "--reject-rcpt",
                 "busy@*:450", NULL);
    const char *to[] = {"a@example.com", "nobody@example.com",
                        "busy@example.com", "b@example.com"};
    struct smtp_item it[4];
    for (int i = 0; i < 4; i++)
        make_item(&it[i], to[i], "Factuur", "Hallo\n", i, NULL);
    struct smtp_config c = config(sv.port);
    struct err e;
    assert_int_equal(smtp_deliver(&c, it, 4, &e), 0);
    assert_int_equal(it[0].outcome, SMTP_SENT);
    assert_int_equal(it[1].outcome, SMTP_FAILED);
    assert_string_equal(it[1].reply,
                        "550 5.1.1 <nobody@example.com>: no such user");
    assert_int_equal(it[2].outcome, SMTP_RETRY);
    assert_string_equal(it[2].reply,
                        "450 4.2.1 <busy@example.com>: mailbox busy, try "
                        "later");
    assert_int_equal(it[3].outcome, SMTP_SENT);
    assert_int_equal(count_files(sv.dir, "eml"), 2);
    size_t len;
    char *env = read_file(sv.dir, 2, "env", &len);
    assert_non_null(strstr(env, "RCPT TO:<b@example.com>\n"));
    free(env);
    free_items(it, 4);
    server_stop(&sv);
}

/* 1.3 the server's 451 for the first two messages: those are kept for a
 * retry, the third is sent; resending the two sends them, and every
 * message is stored exactly once */
static void s1_3_tempfail(void **state)
{
    struct server sv;
    server_start(&sv, "--tempfail-first", "2", NULL);
    struct smtp_item it[3];
    for (int i = 0; i < 3; i++)
        make_item(&it[i], "zoe@example.com", "Factuur", "Hallo\n", i + 1,
                  NULL);
    struct smtp_config c = config(sv.port);
    struct err e;
    assert_int_equal(smtp_deliver(&c, it, 3, &e), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(it[i].outcome, SMTP_RETRY);
        assert_string_equal(it[i].reply,
                            "451 4.3.0 temporary failure, try again later");
    }
    assert_int_equal(it[2].outcome, SMTP_SENT);
    assert_int_equal(count_files(sv.dir, "eml"), 1);

    assert_int_equal(smtp_deliver(&c, it, 2, &e), 0);
    assert_int_equal(it[0].outcome, SMTP_SENT);
    assert_int_equal(it[1].outcome, SMTP_SENT);
    assert_int_equal(count_files(sv.dir, "eml"), 3);
    int seen[4] = {0};
    for (int f = 1; f <= 3; f++) {
        size_t len;
        char *eml = read_file(sv.dir, f, "eml", &len);
        int id;
        const char *m = strstr(eml, "Message-ID: <msg-");
        assert_non_null(m);
        assert_int_equal(sscanf(m, "Message-ID: <msg-%d@", &id), 1);
        assert_true(id >= 1 && id <= 3);
        seen[id]++;
        free(eml);
    }
    assert_int_equal(seen[1], 1);
    assert_int_equal(seen[2], 1);
    assert_int_equal(seen[3], 1);
    free_items(it, 3);
    server_stop(&sv);
}

/* A loopback port nobody listens on. */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t l = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &l);
    close(fd);
    return ntohs(a.sin_port);
}

/* 1.4 no server: -1, the reason in e and in every item, all kept */
static void s1_4_closed_port(void **state)
{
    struct smtp_item it[2];
    for (int i = 0; i < 2; i++)
        make_item(&it[i], "zoe@example.com", "Factuur", "Hallo\n", i, NULL);
    int port = closed_port();
    struct smtp_config c = config(port);
    struct err e;
    assert_int_equal(smtp_deliver(&c, it, 2, &e), -1);
    char want[128];
    snprintf(want, sizeof want,
             "cannot connect to 127.0.0.1:%d: Connection refused", port);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(it[i].outcome, SMTP_RETRY);
        assert_string_equal(it[i].reply, want);
    }
    char wante[160];
    snprintf(wante, sizeof wante, "SMTP 127.0.0.1:%d: %s", port, want);
    assert_string_equal(e.msg, wante);
    free_items(it, 2);
}

/* 1.5 AUTH: the right password sends; a wrong one or none keeps the
 * messages queued (a configuration problem, not the message's) */
static void s1_5_auth(void **state)
{
    struct server sv;
    server_start(&sv, "--auth", "praktijk:geheim", NULL);
    struct smtp_item it[2];
    for (int i = 0; i < 2; i++)
        make_item(&it[i], "zoe@example.com", "Factuur", "Hallo\n", i, NULL);
    struct smtp_config c = config(sv.port);
    struct err e;

    c.user = "praktijk";
    c.password = "fout";
    assert_int_equal(smtp_deliver(&c, it, 2, &e), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(it[i].outcome, SMTP_RETRY);
        assert_non_null(strstr(it[i].reply, "530 5.7.0 Authentication "
                                            "required (AUTH refused: 535"));
    }
    c.user = NULL;
    assert_int_equal(smtp_deliver(&c, it, 2, &e), 0);
    assert_int_equal(it[0].outcome, SMTP_RETRY);
    assert_string_equal(it[0].reply, "530 5.7.0 Authentication required");
    assert_int_equal(count_files(sv.dir, "eml"), 0);

    c.user = "praktijk";
    c.password = "geheim";
    assert_int_equal(smtp_deliver(&c, it, 2, &e), 0);
    assert_int_equal(it[0].outcome, SMTP_SENT);
    assert_int_equal(it[1].outcome, SMTP_SENT);
    assert_int_equal(count_files(sv.dir, "eml"), 2);
    free_items(it, 2);
    server_stop(&sv);
}

/* 1.6 STARTTLS required but not offered: -1, nothing sent */
static void s1_6_starttls_required(void **state)
{
    struct server sv;
    server_start(&sv, NULL);
    struct smtp_item it[1];
    make_item(&it[0], "zoe@example.com", "Factuur", "Hallo\n", 1, NULL);
    struct smtp_config c = config(sv.port);
    c.starttls = 2;
    struct err e;
    assert_int_equal(smtp_deliver(&c, it, 1, &e), -1);
    assert_int_equal(it[0].outcome, SMTP_RETRY);
    assert_string_equal(it[0].reply, "server does not offer STARTTLS, which "
                                     "the configuration requires");
    c.starttls = 1; /* "if offered": sent in the clear */
    assert_int_equal(smtp_deliver(&c, it, 1, &e), 0);
    assert_int_equal(it[0].outcome, SMTP_SENT);
    assert_int_equal(count_files(sv.dir, "eml"), 1);
    free_items(it, 1);
    server_stop(&sv);
}

/* 1.7 an address that would inject SMTP commands is refused unsent */
static void s1_7_invalid_addresses(void **state)
{
    struct server sv;
    server_start(&sv, NULL);
    struct smtp_item it[3];
    make_item(&it[0], "zoe@example.com", "Factuur", "Hallo\n", 1, NULL);
    make_item(&it[1], "zoe@example.com", "Factuur", "Hallo\n", 2, NULL);
    make_item(&it[2], "zoe@example.com", "Factuur", "Hallo\n", 3, NULL);
    it[1].rcpt = "x@y.z>\r\nRCPT TO:<evil@example.com";
    it[2].envelope_from = "a@b.c> SIZE=1";
    struct smtp_config c = config(sv.port);
    struct err e;
    assert_int_equal(smtp_deliver(&c, it, 3, &e), 0);
    assert_int_equal(it[0].outcome, SMTP_SENT);
    assert_int_equal(it[1].outcome, SMTP_FAILED);
    assert_string_equal(it[1].reply, "invalid recipient address");
    assert_int_equal(it[2].outcome, SMTP_FAILED);
    assert_string_equal(it[2].reply, "invalid sender address");
    assert_int_equal(count_files(sv.dir, "eml"), 1);
    size_t len;
    char *env = read_file(sv.dir, 1, "env", &len);
    assert_null(strstr(env, "evil"));
    free(env);
    /* nothing valid: no session at all, 0 */
    assert_int_equal(smtp_deliver(&c, it + 1, 2, &e), 0);
    assert_int_equal(smtp_deliver(&c, it, 0, &e), 0);
    free_items(it, 3);
    server_stop(&sv);
}

/* Deliver n messages in batches, print the rate, and check each arrived
 * exactly once; returns the number of distinct client connections seen. */
static int throughput(const char *label, int max_connections, int n,
                      int batch)
{
    struct server sv;
    server_start(&sv, NULL);
    struct smtp_item *it = xcalloc((size_t)n, sizeof *it);
    for (int i = 0; i < n; i++) {
        char subj[64];
        snprintf(subj, sizeof subj, "Factuur 2026-%05d", i);
        make_item(&it[i], "patient@example.com", subj,
                  "Beste patiënt,\n\nHierbij uw factuur.\n\nGroet,\n"
                  "Praktijk Noord\n",
                  i, NULL);
    }
    struct smtp_config c = config(sv.port);
    c.max_connections = max_connections;
    struct err e;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < n; i += batch)
        assert_int_equal(smtp_deliver(&c, it + i, (size_t)batch, &e), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double dt = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    fprintf(stderr, "smtp%s: %d messages in %.2f s = %.0f msg/s\n", label, n,
            dt, n / dt);
    for (int i = 0; i < n; i++)
        assert_int_equal(it[i].outcome, SMTP_SENT);
    assert_int_equal(count_files(sv.dir, "eml"), n);

    char *seen = xcalloc((size_t)n, 1);
    char peers[64][32];
    int per_peer[64] = {0}, npeers = 0;
    for (int f = 1; f <= n; f++) {
        size_t len;
        char *eml = read_file(sv.dir, f, "eml", &len);
        const char *m = strstr(eml, "Message-ID: <msg-");
        int id = -1;
        assert_non_null(m);
        sscanf(m, "Message-ID: <msg-%d@", &id);
        assert_true(id >= 0 && id < n);
        assert_int_equal(seen[id], 0);
        seen[id] = 1;
        free(eml);
        char *env = read_file(sv.dir, f, "env", &len);
        *strchr(env, '\n') = '\0';
        int p = 0;
        while (p < npeers && strcmp(peers[p], env) != 0)
            p++;
        if (p == npeers) {
            assert_true(npeers < 64);
            snprintf(peers[npeers++], sizeof peers[0], "%s", env);
        }
        per_peer[p]++;
        free(env);
    }
    for (int p = 0; p < npeers; p++) /* connections carry many messages */
        assert_true(per_peer[p] >= SMTP_MIN_PER_CONNECTION);
    free(seen);
    free_items(it, (size_t)n);
    free(it);
    server_stop(&sv);
    return npeers;
}

/* 2.1 throughput: 2,000 small messages in batches of 500, each arriving
 * once, over a few connections per batch (at most
 * SMTP_DEFAULT_CONNECTIONS); and the same over strictly one connection
 * per batch for comparison. Rates are printed, not asserted. */
static void s2_1_throughput(void **state)
{
    int conns = throughput("", 0, 2000, 500);
    assert_true(conns >= 4 && conns <= 4 * SMTP_DEFAULT_CONNECTIONS);
    conns = throughput(" (1 connection per batch)", 1, 2000, 500);
    assert_int_equal(conns, 4);
}

int main(void)
{
    if (access(PYTHON, X_OK) != 0 || access(SERVER, R_OK) != 0) {
        fprintf(stderr, "test_smtp: needs %s and %s (run from the "
                        "repository root)\n", PYTHON, SERVER);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(s1_1_batch),
        cmocka_unit_test(s1_2_rejected),
        cmocka_unit_test(s1_3_tempfail),
        cmocka_unit_test(s1_4_closed_port),
        cmocka_unit_test(s1_5_auth),
        cmocka_unit_test(s1_6_starttls_required),
        cmocka_unit_test(s1_7_invalid_addresses),
        cmocka_unit_test(s2_1_throughput),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
