"""A user session on the served app over Streamlit's own websocket protocol, without a browser.

The load test opens many of these at once: each is a real session on the server (the same
``/_stcore/stream`` websocket, the same protobuf messages a browser tab sends and receives), but
it costs the client almost nothing, so 30 of them fit beside the server on a 2-core machine.
A rerun sends the client state (page, URL parameters, changed widgets) and collects every
element the server draws until the script finishes.
"""

from __future__ import annotations

import asyncio
import io
import time
from dataclasses import dataclass, field

import pyarrow as pa
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

RERUN_TIMEOUT = 60.0  # seconds one rerun may take under load before the session counts as failed
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}


@dataclass
class Render:
    """What one rerun drew: its elements in arrival order, and how long the server took."""

    page: str
    seconds: float
    elements: list[Element] = field(default_factory=list)
    compile_error: bool = False
    query: str = ""  # the URL's query string once the run had finished (the app writes its filters there)

    def of_type(self, kind: str) -> list:
        return [getattr(e, kind) for e in self.elements if e.WhichOneof("type") == kind]

    @property
    def errors(self) -> list[str]:
        """Exception elements and error messages: what a user would see as something broken."""
        found = [
            f"exception: {e.type}: {e.message} at {' | '.join(e.stack_trace[-3:])}" for e in self.of_type("exception")
        ]
        found += [f"error: {a.body}" for a in self.of_type("alert") if a.format == a.ERROR]
        if self.compile_error:
            found.append("the script did not compile")
        return found

    @property
    def metrics(self) -> dict[str, str]:
        return {m.label: m.body for m in self.of_type("metric")}

    def tables(self) -> list[pa.Table]:
        """Every dataframe drawn (in order), decoded from its Arrow bytes."""
        return [pa.ipc.open_stream(io.BytesIO(d.arrow_data.data)).read_all() for d in self.of_type("dataframe")]

    def widget(self, key: str):
        """The widget drawn with ``key`` (Streamlit ends a keyed widget's id with it)."""
        for element in self.elements:
            kind = element.WhichOneof("type")
            proto = getattr(element, kind)
            if getattr(proto, "id", "").endswith(f"-{key}"):
                return proto
        raise KeyError(f"no widget with key {key!r} on page {self.page!r}")


class Session:
    """One websocket session; ``query`` is the URL's query string (e.g. ``m=DEMO``)."""

    def __init__(self, base_url: str, query: str = "", cookies: dict[str, str] | None = None) -> None:
        self.url = base_url.replace("http://", "ws://") + "/_stcore/stream"
        self.query = query
        self.cookies = cookies or {}  # sent with the websocket's handshake, as a browser sends them
        self.redirect = ""  # where the server last sent the browser (st.login, st.logout)
        self.pages: dict[str, str] = {}  # url path -> page script hash, from the navigation message
        self.page = ""
        self.widgets: dict[str, WidgetState] = {}  # what this "user" has set, sent with every rerun
        self._ws = None

    async def __aenter__(self) -> Session:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else None
        # As a browser: the XSRF cookie's token as the second subprotocol, and the page's origin; the
        # server reads the sign-in cookie (st.user) only then.
        xsrf = self.cookies.get("_streamlit_xsrf")
        self._ws = await websockets.connect(
            self.url,
            subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
            max_size=None,
            open_timeout=30,
            additional_headers=headers,
            origin=self.url.replace("ws://", "http://").split("/_stcore/")[0] if xsrf else None,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self._ws.close()

    def set_widget(self, state: WidgetState) -> None:
        self.widgets[state.id] = state

    async def run(self, page: str | None = None) -> Render:
        """Rerun the script (on ``page``, a url path, if given) and wait until it has finished."""
        if page is not None:
            self.page = page
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_name = self.page
        state.page_script_hash = self.pages.get(self.page, "")
        state.widget_states.widgets.extend(self.widgets.values())
        started = time.perf_counter()
        await self._ws.send(message.SerializeToString())
        render = Render(self.page, 0.0)
        async with asyncio.timeout(RERUN_TIMEOUT):
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await self._ws.recv())
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    render.elements.append(msg.delta.new_element)
                elif kind == "navigation":
                    self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
                elif kind == "auth_redirect":
                    self.redirect = msg.auth_redirect.url
                elif kind == "page_info_changed":
                    self.query = msg.page_info_changed.query_string
                elif kind == "script_finished":
                    if msg.script_finished in FINISHED:
                        render.compile_error = msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR
                        break
                    render.elements.clear()  # the script asked for a rerun (st.rerun): the next run counts
        render.seconds = time.perf_counter() - started
        render.query = self.query
        return render


def string_array(widget_id: str, values: list[str]) -> WidgetState:
    """A multiselect's or segmented control's new value: the options' labels as shown."""
    state = WidgetState(id=widget_id)
    state.string_array_value.data.extend(values)
    return state


def trigger(widget_id: str) -> WidgetState:
    """A button's click."""
    return WidgetState(id=widget_id, trigger_value=True)


def string_value(widget_id: str, value: str) -> WidgetState:
    """A selectbox's new value: the option's label as shown."""
    return WidgetState(id=widget_id, string_value=value)
