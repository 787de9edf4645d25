/*
 * replay.c — a main for the fuzz targets without libFuzzer: each file
 * named on the command line (or each file in a named directory) is read
 * and passed once to LLVMFuzzerTestOneInput. tests/scripts/fuzz_regress.sh
 * builds every target with it under AddressSanitizer and UBSan and replays
 * the seed corpora and every saved crash, so a fixed crash stays fixed.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf)
        return 1;
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    int bad = 0, n = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            bad = 1;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            bad |= replay_file(argv[i]);
            n++;
            continue;
        }
        struct dirent **ents;
        int ne = scandir(argv[i], &ents, NULL, alphasort);
        for (int k = 0; k < ne; k++) {
            if (ents[k]->d_name[0] != '.') {
                char path[4096];
                snprintf(path, sizeof path, "%s/%s", argv[i], ents[k]->d_name);
                bad |= replay_file(path);
                n++;
            }
            free(ents[k]);
        }
        if (ne >= 0)
            free(ents);
    }
    printf("replayed %d input%s\n", n, n == 1 ? "" : "s");
    return bad;
}
