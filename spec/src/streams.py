from dsl import *

AREA = "streams"
DESCRIPTION = "streams on loopback, real clock: start_server and open_connection, reads, writes, EOF"
S = []
# Every trace below is causally ordered: the handler tells main it started (`started`) before
# main writes, and main waits for the handler's `done` before it goes on, so the order of
# events does not depend on which socket the loop polls first.
STREAMS = ["streams"]


def serve_and_connect(*client):
    """main: a server with handler `handler`, a connection to it, then `client`, then close."""
    return [
        do(loop("create_future"), "started"), do(loop("create_future"), "done"),
        await_(aio("start_server", {"corofn": "handler"}, "127.0.0.1", 0), "server"),
        trace("serving", m(V("server"), "is_serving")),
        do(ix(m(ix(attr(V("server"), "sockets"), 0), "getsockname"), 1), "port"),
        await_(aio("open_connection", "127.0.0.1", V("port")), "rw"),
        do(ix(V("rw"), 0), "reader"), do(ix(V("rw"), 1), "writer"),
        await_(V("started")),
        *client,
        await_(V("done"), "outcome"), trace("handler done", V("outcome")),
        do(m(V("writer"), "close")), await_(m(V("writer"), "wait_closed")),
        do(m(V("server"), "close")), await_(m(V("server"), "wait_closed")),
        trace("closed", m(V("server"), "is_serving")),
    ]


def handler(*body):
    return co(["r", "w"], do(m(V("started"), "set_result", True)), *body)


S.append(scenario(
    "streams/echo-line", "a line goes to the server and back; the handler sees EOF when the client closes",
    STREAMS,
    serve_and_connect(
        do(m(V("writer"), "write", b("hello\n"))), trace("sent"), await_(m(V("writer"), "drain")),
        await_(m(V("reader"), "readline"), "line"), trace("reply", V("line")),
        do(m(V("writer"), "write_eof"))),
    coroutines={"handler": handler(
        await_(m(V("r"), "readline"), "line"), trace("got", V("line")),
        do(m(V("w"), "write", V("line"))), await_(m(V("w"), "drain")),
        await_(m(V("r"), "read"), "rest"), trace("eof", V("rest"), m(V("r"), "at_eof")),
        do(m(V("w"), "close")), do(m(V("done"), "set_result", "ok")))},
    clock="real"))

S.append(scenario(
    "streams/readexactly-incomplete", "readexactly() past EOF raises IncompleteReadError with the partial bytes",
    STREAMS,
    serve_and_connect(
        try_([await_(m(V("reader"), "readexactly", 5), "x"), trace("x", V("x"))],
             except_("IncompleteReadError", trace("incomplete", V("e"), attr(V("e"), "partial")), as_="e")),
        trace("at_eof", m(V("reader"), "at_eof"))),
    coroutines={"handler": handler(
        do(m(V("w"), "write", b("abc"))), await_(m(V("w"), "drain")), do(m(V("w"), "close")),
        do(m(V("done"), "set_result", "wrote 3")))},
    clock="real"))

S.append(scenario(
    "streams/readuntil-and-lines", "readuntil() splits on a separator; readline() gives b'' at EOF",
    STREAMS,
    serve_and_connect(
        await_(m(V("reader"), "readuntil", b(";")), "a"), trace("until", V("a")),
        await_(m(V("reader"), "readexactly", 2), "c"), trace("exactly", V("c")),
        do(True, "more"),
        while_(V("more"), await_(m(V("reader"), "readline"), "line"), trace("line", V("line")),
               do(op("ne", V("line"), b("")), "more"))),
    coroutines={"handler": handler(
        do(m(V("w"), "write", b("one;twothree\nfour\n"))), await_(m(V("w"), "drain")),
        trace("can_write_eof", m(V("w"), "can_write_eof")), do(m(V("w"), "write_eof")),
        do(m(V("done"), "set_result", "written")))},
    clock="real"))

S.append(scenario(
    "streams/request-response-rounds", "three request/response rounds on one connection keep their order",
    STREAMS,
    serve_and_connect(
        for_("i", rng(3),
             do(m(V("writer"), "write", b("ping\n"))), await_(m(V("writer"), "drain")),
             await_(m(V("reader"), "readline"), "line"), trace("client", V("i"), V("line"))),
        do(m(V("writer"), "write_eof"))),
    coroutines={"handler": handler(
        do(0, "n"),
        while_(True, await_(m(V("r"), "readline"), "line"),
               if_(op("eq", V("line"), b("")), [BREAK]),
               trace("server", V("n"), V("line")),
               do(m(V("w"), "write", b("pong\n"))), await_(m(V("w"), "drain")),
               do(op("add", V("n"), 1), "n")),
        do(m(V("w"), "close")), do(m(V("done"), "set_result", V("n"))))},
    clock="real"))

SCENARIOS = S
