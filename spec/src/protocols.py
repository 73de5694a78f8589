from dsl import *

AREA = "protocols"
DESCRIPTION = "protocol callbacks on loopback, real clock: create_server, create_connection, transports"
S = []
# Only one end of a connection traces its callbacks until main has heard from it: the two
# ends are two sockets, and which one the loop polls first is not behaviour. Every other
# step waits on a future the traced callback sets, so the order of events is causal.
PROTOCOLS = ["protocols"]


def proto(label, **callbacks):
    return {"protocol": callbacks, "label": label}


def setter(future, param):
    """A callback of one parameter that resolves the global future `future` with it."""
    return f([param], do(m(V(future), "set_result", V(param))))


def futures(*names):
    return [do(loop("create_future"), n) for n in names]


def serve(factory):
    return [
        await_(loop("create_server", factory, "127.0.0.1", 0), "server"),
        do(ix(m(ix(attr(V("server"), "sockets"), 0), "getsockname"), 1), "port"),
    ]


def connect_streams():
    return [
        await_(aio("open_connection", "127.0.0.1", V("port")), "rw"),
        do(ix(V("rw"), 0), "reader"), do(ix(V("rw"), 1), "writer"),
    ]


CLOSE = [
    do(m(V("writer"), "close")), await_(m(V("writer"), "wait_closed")),
    do(m(V("server"), "close")), await_(m(V("server"), "wait_closed")),
]


S.append(scenario(
    "protocols/echo-server", "a Protocol server sees connection_made, data_received, eof_received and then "
    "connection_lost(None); returning None from eof_received closes the transport",
    PROTOCOLS,
    [*futures("made", "lost"),
     *serve(proto("srv", connection_made="srv_made", data_received="srv_data", eof_received="srv_eof",
                  connection_lost="srv_lost")),
     *connect_streams(),
     await_(V("made"), "t"),
     trace("made", V("t"), m(V("t"), "is_closing"), m(V("t"), "is_reading"), m(V("t"), "can_write_eof")),
     do(m(V("writer"), "write", b("hello\n"))), await_(m(V("writer"), "drain")),
     await_(m(V("reader"), "readline"), "line"), trace("reply", V("line")),
     do(m(V("writer"), "write_eof")),
     await_(m(V("reader"), "read"), "rest"), await_(V("lost"), "exc"),
     trace("end", V("rest"), V("exc"), m(V("t"), "is_closing")),
     *CLOSE],
    functions={
        "srv_made": setter("made", "t"),
        "srv_data": f(["data"], do(m(m(V("made"), "result"), "write", V("data")))),
        "srv_eof": f([], PASS),
        "srv_lost": setter("lost", "exc"),
    },
    clock="real"))

S.append(scenario(
    "protocols/client-half-close", "a client Protocol from create_connection keeps writing after its "
    "eof_received returns True, and its close() brings connection_lost(None)",
    PROTOCOLS,
    [*futures("made", "srv_got", "got", "eofed", "lost"),
     *serve(proto("srv", connection_made="srv_made", data_received="srv_data")),
     await_(loop("create_connection", proto("cli", data_received="cli_data", eof_received="cli_eof",
                                            connection_lost="cli_lost"), "127.0.0.1", V("port")), "pair"),
     do(ix(V("pair"), 0), "tr"),
     await_(V("made"), "st"),
     trace("connected", V("tr"), ix(V("pair"), 1), m(V("tr"), "get_write_buffer_size")),
     do(m(V("st"), "write", b("welcome\n"))), await_(V("got"), "data"), trace("client got", V("data")),
     do(m(V("st"), "write_eof")), await_(V("eofed")),
     trace("client eof", m(V("tr"), "is_closing"), m(V("tr"), "is_reading")),
     do(m(V("tr"), "write", b("bye\n"))), await_(V("srv_got"), "data"), trace("server got", V("data")),
     do(m(V("tr"), "close")), trace("closing", m(V("tr"), "is_closing")),
     await_(V("lost"), "exc"), trace("client lost", V("exc")),
     do(m(V("server"), "close")), await_(m(V("server"), "wait_closed"))],
    functions={
        "srv_made": setter("made", "t"),
        "srv_data": setter("srv_got", "data"),
        "cli_data": setter("got", "data"),
        "cli_eof": f([], do(m(V("eofed"), "set_result", True)), ret(True)),
        "cli_lost": setter("lost", "exc"),
    },
    clock="real"))

S.append(scenario(
    "protocols/data-received-raises", "an exception from data_received goes to the loop's exception handler "
    "and the transport closes, calling connection_lost with that exception",
    PROTOCOLS,
    [*futures("made", "lost"),
     *serve(proto("srv", connection_made="srv_made", data_received="srv_data", connection_lost="srv_lost")),
     *connect_streams(),
     await_(V("made"), "t"),
     do(m(V("writer"), "write", b("x"))), await_(m(V("writer"), "drain")),
     await_(m(V("reader"), "read"), "rest"), await_(V("lost"), "exc"),
     trace("end", V("rest"), V("exc"), m(V("t"), "is_closing")),
     *CLOSE],
    functions={
        "srv_made": setter("made", "t"),
        "srv_data": f(["data"], raise_(exc("ValueError", "bad data"))),
        "srv_lost": setter("lost", "exc"),
    },
    clock="real"))

S.append(scenario(
    "protocols/factory-raises", "a protocol factory that raises reaches the exception handler only in debug "
    "mode, and the server keeps serving",
    PROTOCOLS,
    # What happens to the accepted socket is not compared: CPython leaves it to the garbage
    # collector (the failed coroutine's frame holds it).
    [*futures("called"),
     *serve(fn("bad_factory")),
     *connect_streams(),
     await_(V("called")),
     trace("serving", m(V("server"), "is_serving")),
     *CLOSE],
    functions={
        "bad_factory": f([], do(m(V("called"), "set_result", True)), raise_(exc("RuntimeError", "no protocol"))),
    },
    clock="real"))

S.append(scenario(
    "protocols/transport-state-and-errors", "pause/resume_reading, write buffer limits, and the errors of "
    "bad limits, a str write and a write after write_eof",
    PROTOCOLS,
    [*futures("made"),
     *serve(proto("srv", connection_made="srv_made")),
     *connect_streams(),
     await_(V("made"), "t"),
     trace("reading", m(V("t"), "is_reading")),
     do(m(V("t"), "pause_reading")), trace("paused", m(V("t"), "is_reading")),
     do(m(V("t"), "pause_reading")), do(m(V("t"), "resume_reading")), trace("resumed", m(V("t"), "is_reading")),
     trace("limits", m(V("t"), "get_write_buffer_limits")),
     do(m(V("t"), "set_write_buffer_limits", 100)), trace("limits", m(V("t"), "get_write_buffer_limits")),
     do(m(V("t"), "set_write_buffer_limits", 10, 5)), trace("limits", m(V("t"), "get_write_buffer_limits")),
     try_([do(m(V("t"), "set_write_buffer_limits", 10, 20))], except_("ValueError", trace("bad limits", V("e")), as_="e")),
     try_([do(m(V("t"), "write", "text"))], except_("TypeError", trace("str write", V("e")), as_="e")),
     do(m(V("t"), "write", b(""))), trace("buffer", m(V("t"), "get_write_buffer_size")),
     do(m(V("t"), "write", b("last"))), do(m(V("t"), "write_eof")),
     try_([do(m(V("t"), "write", b("x")))], except_("RuntimeError", trace("write after eof", V("e")), as_="e")),
     await_(m(V("reader"), "read"), "rest"), trace("client read", V("rest")),
     do(m(V("t"), "close")), trace("closing", m(V("t"), "is_closing")),
     *CLOSE],
    functions={"srv_made": setter("made", "t")},
    clock="real"))

S.append(scenario(
    "protocols/flow-control", "a write past the high-water mark calls pause_writing at once, and "
    "resume_writing comes once the peer has read the buffer down to the low-water mark",
    PROTOCOLS,
    [*futures("made", "resumed"),
     *serve(proto("srv", connection_made="srv_made", pause_writing="srv_pause", resume_writing="srv_resume")),
     *connect_streams(),
     await_(V("made"), "t"),
     do(m(V("t"), "set_write_buffer_limits", 4096)),
     # More than the kernel's socket buffers can take while nobody reads.
     do(op("mul", b("x"), 16 * 1024 * 1024), "payload"),
     do(m(V("t"), "write", V("payload"))), trace("wrote"),
     await_(m(V("reader"), "readexactly", len_(V("payload"))), "data"), await_(V("resumed")),
     trace("read", len_(V("data")), m(V("t"), "get_write_buffer_size")),
     *CLOSE],
    functions={
        "srv_made": setter("made", "t"),
        "srv_pause": f([], PASS),
        "srv_resume": f([], do(m(V("resumed"), "set_result", True))),
    },
    clock="real"))

SCENARIOS = S
