// Linux's epoll and eventfd for LoadKit's socket transport (Glibc's Swift module does not export them).
#ifndef CEPOLL_H
#define CEPOLL_H
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#endif
#endif
