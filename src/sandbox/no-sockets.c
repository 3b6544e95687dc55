/*
 * no-sockets: runs a program with no way to make a socket. Installs a seccomp filter that makes
 * socket(2) and socketpair(2) fail with EACCES (and io_uring_setup(2) with ENOSYS, so no ring can
 * open a socket behind the filter's back), then execs argv[1..] with an empty environment.
 * Sockets already open (the grader's pipes, fds 1-3, connected socket pairs) keep working.
 * Why: Node's permission model has no rule for sockets, and a network namespace does not isolate
 * file-system (Unix) sockets; without namespaces, TCP to loopback works too.
 * Needs no privilege (PR_SET_NO_NEW_PRIVS first). Built by scripts/build.mjs with the C compiler.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#else
#error "no-sockets: unsupported architecture"
#endif

#define REFUSE(nr, err) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err))

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: no-sockets PROGRAM [ARG...]\n");
    return 2;
  }
  struct sock_filter filter[] = {
      /* Another ABI (i386 via int 0x80, x32) numbers syscalls differently: kill rather than guess. */
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#if defined(__x86_64__)
      BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000 /* __X32_SYSCALL_BIT */, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
#endif
      REFUSE(__NR_socket, EACCES),
      REFUSE(__NR_socketpair, EACCES),
      REFUSE(__NR_io_uring_setup, ENOSYS),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog program = {.len = sizeof filter / sizeof filter[0], .filter = filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
    fprintf(stderr, "no-sockets: cannot install the seccomp filter: %s\n", strerror(errno));
    return 126;
  }
  char *empty[] = {NULL};
  execve(argv[1], argv + 1, empty);
  fprintf(stderr, "no-sockets: cannot run %s: %s\n", argv[1], strerror(errno));
  return 127;
}
