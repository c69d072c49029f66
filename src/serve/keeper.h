/*
 * The keeper process (keeper.c): the server executes itself again with
 * KEEPER_ARG first, and main hands over to keeper_main.
 */
#ifndef CAPSULED_KEEPER_H
#define CAPSULED_KEEPER_H

#define KEEPER_ARG	"--keeper"

/* The keeper process, until the server's end of its socket closes. */
int	keeper_main(int argc, char *argv[]) __attribute__((noreturn));

#endif
