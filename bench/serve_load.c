/*
** bench/serve_load.c: a closed-loop HTTP load generator for bench/serve.py.
**
** Usage: serve_load PORT TOKEN CLIENTS SECONDS PATHS_FILE
** CLIENTS threads each keep one HTTP/1.1 keep-alive connection to
** 127.0.0.1:PORT and send GET requests (the lines of PATHS_FILE, each
** client starting at its own offset) back to back for SECONDS, with the
** token as "Authorization: Bearer".  Prints one JSON object: requests,
** errors (non-200 or broken connections), seconds, and every latency in
** milliseconds.  Plain sockets and pthreads: the client costs far less CPU
** than the server it measures (the machine's cores are shared).
** Not here: the statistics (bench/serve.py).
*/
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static unsigned port;
static const char *token;
static double seconds;
static char **paths;
static size_t n_paths;

typedef struct {
  size_t id;
  double *lat;
  size_t n, cap;
  size_t errors;
} client;

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int connect_server(void)
{
  struct sockaddr_in a = { 0 };
  int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/* One request on fd; returns the status, 0 on a broken connection. */
static int request(int fd, const char *path, char *buf, size_t cap)
{
  char head[8192];
  int n = snprintf(head, sizeof head, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nAuthorization: Bearer %s\r\n\r\n", path,
                   port, token);
  if (n <= 0 || (size_t)n >= sizeof head || write(fd, head, (size_t)n) != n)
    return 0;
  size_t got = 0;
  char *end = NULL;
  while (!end) {
    ssize_t k = read(fd, buf + got, cap - got - 1);
    if (k <= 0)
      return 0;
    got += (size_t)k;
    buf[got] = '\0';
    end = strstr(buf, "\r\n\r\n");
    if (!end && got >= cap - 1)
      return 0;
  }
  int status = 0;
  sscanf(buf, "HTTP/1.%*d %d", &status);
  const char *cl = strcasestr(buf, "\r\nContent-Length:");
  size_t len = cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0, have = got - (size_t)(end + 4 - buf);
  while (have < len) {
    ssize_t k = read(fd, buf, cap - 1 < len - have ? cap - 1 : len - have);
    if (k <= 0)
      return 0;
    have += (size_t)k;
  }
  return status;
}

static void *run(void *arg)
{
  client *c = arg;
  size_t cap = 1 << 20, i = c->id * 7919;
  char *buf = malloc(cap);
  int fd = connect_server();
  double stop = now() + seconds;
  while (buf && now() < stop) {
    if (fd < 0 && (fd = connect_server()) < 0) {
      c->errors++;
      continue;
    }
    double t = now();
    int st = request(fd, paths[i++ % n_paths], buf, cap);
    double ms = (now() - t) * 1000;
    if (st != 200) {
      c->errors++;
      close(fd);
      fd = -1;
      continue;
    }
    if (c->n == c->cap) {
      c->cap = c->cap ? 2 * c->cap : 1024;
      c->lat = realloc(c->lat, c->cap * sizeof *c->lat);
    }
    c->lat[c->n++] = ms;
  }
  if (fd >= 0)
    close(fd);
  free(buf);
  return NULL;
}

int main(int argc, char **argv)
{
  if (argc != 6) {
    fprintf(stderr, "usage: serve_load PORT TOKEN CLIENTS SECONDS PATHS_FILE\n");
    return 2;
  }
  port = (unsigned)atoi(argv[1]);
  token = argv[2];
  size_t clients = (size_t)atoi(argv[3]);
  seconds = atof(argv[4]);
  FILE *f = fopen(argv[5], "r");
  char line[8192];
  while (f && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    paths = realloc(paths, (n_paths + 1) * sizeof *paths);
    paths[n_paths++] = strdup(line);
  }
  if (!n_paths) {
    fprintf(stderr, "serve_load: no paths in %s\n", argv[5]);
    return 1;
  }
  client *cs = calloc(clients, sizeof *cs);
  pthread_t *ts = calloc(clients, sizeof *ts);
  double t0 = now();
  for (size_t i = 0; i < clients; i++) {
    cs[i].id = i;
    pthread_create(&ts[i], NULL, run, &cs[i]);
  }
  size_t total = 0, errors = 0;
  for (size_t i = 0; i < clients; i++) {
    pthread_join(ts[i], NULL);
    total += cs[i].n;
    errors += cs[i].errors;
  }
  double elapsed = now() - t0;
  printf("{\"requests\": %zu, \"errors\": %zu, \"seconds\": %.3f, \"lat\": [", total, errors, elapsed);
  int first = 1;
  for (size_t i = 0; i < clients; i++)
    for (size_t j = 0; j < cs[i].n; j++) {
      printf("%s%.3f", first ? "" : ",", cs[i].lat[j]);
      first = 0;
    }
  printf("]}\n");
  return 0;
}
