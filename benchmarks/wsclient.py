"""A light Streamlit client for load tests: one real session over the app's websocket, no browser.

It speaks Streamlit's own protocol (``BackMsg`` / ``ForwardMsg`` protobufs on ``/_stcore/stream``,
the messages the browser sends): a rerun carries the page and the widget states; the answer is the
page's elements. Widgets are found by label, clicked (a trigger value) or set (number, text). No
cookie is sent, so every :class:`Session` is a fresh learner – exactly what a flooding script gets.
About 1–2 MB and a few ms of CPU per rerun on the client side, against ~150 MB and a renderer for a
headless chromium. What it does not do: run the page's JavaScript (components, the German chrome)
or time fragments (``st.fragment(run_every=…)`` is timed by the browser; :meth:`Session.rerun`
runs the whole page instead, which draws the same state).
"""
from __future__ import annotations

import asyncio
import dataclasses
from typing import Optional

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState


@dataclasses.dataclass
class Element:
    kind: str           # "button", "markdown", "alert", "progress", "number_input", …
    label: str          # widget label (or "")
    text: str           # markdown/alert body, progress text
    id: str             # widget id ("" for non-widgets)


class Session:
    """One Streamlit session of the app at ``url`` (``http://127.0.0.1:PORT``)."""

    def __init__(self, url: str):
        self.url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.origin = url.rstrip("/")
        self.ws = None
        self.pages: dict[str, str] = {}       # url path → page script hash
        self.page_hash = ""
        self.elements: list[Element] = []
        self.widgets: dict[str, WidgetState] = {}   # kept values sent with every rerun

    async def connect(self, page: str = "") -> list[Element]:
        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=2 ** 26,
                                           origin=self.origin, open_timeout=60, ping_interval=None)
        return await self.rerun(page=page)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def rerun(self, page: Optional[str] = None, trigger: str = "", timeout: float = 120) -> list[Element]:
        """Run the page (``page``: its url path, e.g. "erstes_netz"; None: the current one) with the
        kept widget values, plus a click on the widget id ``trigger``; returns its elements."""
        msg = BackMsg()
        state = msg.rerun_script
        if page is not None:
            state.page_name = page
            state.page_script_hash = self.pages.get(page, "")
            self.widgets = {}
        else:
            state.page_script_hash = self.page_hash
        state.context_info.timezone = "Europe/Berlin"
        state.context_info.locale = "de-DE"
        state.context_info.url = self.origin + "/" + (page or "")
        for widget in self.widgets.values():
            state.widget_states.widgets.append(widget)
        if trigger:
            click = WidgetState(id=trigger, trigger_value=True)
            state.widget_states.widgets.append(click)
        await self.ws.send(msg.SerializeToString())
        elements: list[Element] = []
        started = False
        async with asyncio.timeout(timeout):
            while True:
                fwd = ForwardMsg()
                fwd.ParseFromString(await self.ws.recv())
                kind = fwd.WhichOneof("type")
                if kind == "new_session":
                    started = True
                    for p in fwd.new_session.app_pages:
                        self.pages[p.url_pathname] = p.page_script_hash
                    self.page_hash = fwd.new_session.page_script_hash
                elif kind == "navigation":
                    for p in fwd.navigation.app_pages:
                        self.pages[p.url_pathname] = p.page_script_hash
                    self.page_hash = fwd.navigation.page_script_hash
                elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                    elements.append(_element(fwd.delta.new_element))
                elif kind == "page_info_changed" or kind == "page_not_found":
                    pass
                elif kind == "script_finished" and started:
                    if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        elements = []       # a callback asked for another run: its elements follow
                        continue
                    break
        self.elements = elements
        return elements

    # --- finding and using widgets -------------------------------------------------------------
    def find(self, kind: str, label: str) -> Element:
        for element in self.elements:
            if element.kind == kind and element.label == label:
                return element
        raise KeyError(f"{kind} {label!r} not on the page")

    def set_number(self, label: str, value: int) -> None:
        element = self.find("number_input", label)
        self.widgets[element.id] = WidgetState(id=element.id, int_value=value)

    async def click(self, label: str, kind: str = "button") -> list[Element]:
        return await self.rerun(trigger=self.find(kind, label).id)

    def text(self) -> str:
        return "\n".join(e.text for e in self.elements if e.text)


def _element(element) -> Element:
    kind = element.WhichOneof("type") or ""
    body = getattr(element, kind, None)
    label = getattr(body, "label", "") if body is not None else ""
    text = ""
    for field in ("body", "text", "message", "stack_trace"):
        value = getattr(body, field, "") if body is not None else ""
        if isinstance(value, str) and value:
            text = value
            break
    return Element(kind, label if isinstance(label, str) else "", text, getattr(body, "id", "") or "")
