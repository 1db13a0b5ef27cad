"""Voila for the dashboard page, with a door: who may ask, and how many kernels at once.

Stock Voila starts one kernel (200-300 MB running the dashboard notebook) for every page request
and keeps it until the server stops, and answers any Host header. :class:`PageServer` is Voila
with, in front of every handler (pages, static files, websockets, the kernel API):

* a Host check: the name the browser used must be this machine (``localhost``, ``127.0.0.1``,
  ``[::1]``, plus the address Voila listens on and the names in ``allowed_hosts``), else 403; a
  web page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) is refused;
* an Origin check: a request sent by a page of another site (the Origin header) is refused;
* a cap: at most ``max_kernels`` visitors' kernels at once (the preheated pool comes on top); a
  request beyond it gets a Chinese "请稍后再试" page (503) instead of another kernel.

Kernels of visitors that are gone are stopped by jupyter_server's culler (``make app`` turns it
on: :data:`xinfang_toolkit.widgets.app.DEFAULTS`), so the cap frees itself again.

Imported only when the page is served (it needs Voila, an optional dependency).
"""

from __future__ import annotations

import html
import inspect
import itertools
from typing import Any

from tornado.log import app_log
from traitlets import Integer, List, Unicode
from voila.app import Voila
from voila.handler import VoilaHandler

from .app import host_allowed, is_loopback, local_names, origin_allowed

__all__ = ["PageServer"]

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>信访数据看板</title>
<style>body{{font-family:sans-serif;margin:60px auto;max-width:640px;color:#222}}
h1{{font-size:24px;color:#0b4f8a}}</style></head>
<body><h1>{title}</h1><p>{text}</p></body></html>
"""


def _page(title: str, text: str) -> str:
    return _PAGE.format(title=html.escape(title), text=html.escape(text))


class _Door:
    """The checks shared by every handler of one server: allowed names and the kernel tickets.

    A ticket is taken when a page request is let in and holds the id of the kernel the request
    got (None while it is being started); it counts while that kernel runs.
    """

    def __init__(self, names: set[str], max_kernels: int) -> None:
        self.names = names
        self.max_kernels = max_kernels
        self.tickets: dict[int, str | None] = {}
        self._numbers = itertools.count()

    def visitors(self, kernel_manager: Any) -> int:
        running = set(kernel_manager.list_kernel_ids())
        for number, kernel_id in list(self.tickets.items()):
            if kernel_id is not None and kernel_id not in running:
                del self.tickets[number]  # stopped: by the page, the culler or a restart
        return len(self.tickets)

    def admit(self, kernel_manager: Any) -> int | None:
        if self.visitors(kernel_manager) >= self.max_kernels:
            return None
        number = next(self._numbers)
        self.tickets[number] = None
        return number


class _KernelsSeen:
    """The kernel manager as one page request sees it: the kernel the request starts or takes
    from the preheated pool is written on its ticket."""

    def __init__(self, manager: Any, door: _Door, ticket: int) -> None:
        self._manager, self._door, self._ticket = manager, door, ticket

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)

    def _note(self, kernel_id: str) -> None:
        if self._ticket in self._door.tickets:
            self._door.tickets[self._ticket] = kernel_id

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        kernel_id = self._manager.start_kernel(*args, **kwargs)
        if inspect.isawaitable(kernel_id):
            kernel_id = await kernel_id
        self._note(kernel_id)
        return kernel_id

    async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
        task, cache, kernel_id = await self._manager.get_rendered_notebook(*args, **kwargs)
        self._note(kernel_id)
        return task, cache, kernel_id


class _Guarded:
    """Mixed in before every handler class of the server."""

    _xf_ticket: int | None = None

    @property
    def _xf_door(self) -> _Door:
        return self.settings["xinfang_door"]

    def _xf_refuse(self, status: int, title: str, text: str) -> None:
        self.clear()
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        if status == 503:
            self.set_header("Retry-After", "60")
        self.finish(_page(title, text))

    async def prepare(self) -> None:
        door = self._xf_door
        request = self.request
        if not host_allowed(request.host, door.names):
            app_log.warning("拒绝: 非本机的 Host %r (%s)", request.host, request.path)
            return self._xf_refuse(
                403,
                "拒绝访问",
                "这个地址不是本机的看板地址 (Host 不符)。请用 http://127.0.0.1 打开看板。",
            )
        origin = request.headers.get("Origin") or request.headers.get("Sec-Websocket-Origin")
        if origin is not None and not origin_allowed(origin, door.names):
            app_log.warning("拒绝: 来自其他网站的请求 Origin %r (%s)", origin, request.path)
            return self._xf_refuse(
                403, "拒绝访问", "其他网站的网页不能访问本机的看板 (Origin 不符)。"
            )
        if isinstance(self, VoilaHandler) and request.method == "GET":
            ticket = door.admit(self.settings["kernel_manager"])
            if ticket is None:
                return self._xf_refuse(
                    503,
                    "看板正忙, 请稍后再试",
                    f"同时打开的看板已达上限 ({door.max_kernels} 个)。请关闭不用的看板页面, "
                    "或过几分钟再刷新本页 (无人使用的页面会自动释放)。",
                )
            self._xf_ticket = ticket
        result = super().prepare()  # type: ignore[misc]
        if inspect.isawaitable(result):
            await result

    @property
    def kernel_manager(self) -> Any:
        manager = self.settings["kernel_manager"]
        if self._xf_ticket is None:
            return manager
        return _KernelsSeen(manager, self._xf_door, self._xf_ticket)

    def on_finish(self) -> None:
        door, ticket = self._xf_door, self._xf_ticket
        if ticket is not None and door.tickets.get(ticket, "") is None:
            del door.tickets[ticket]  # the request ended before it got a kernel
        super().on_finish()  # type: ignore[misc]


def _guarded(handler: type) -> type:
    return type(handler.__name__, (_Guarded, handler), {"__module__": __name__})


class PageServer(Voila):
    """Voila with the Host/Origin checks and the kernel cap in front of every handler."""

    name = "xinfang-page"
    max_kernels = Integer(
        4,
        config=True,
        help="至多同时为这么多位访问者各开一个内核 (预热的内核另计) / visitors' kernels at once",
    )
    allowed_hosts = List(
        Unicode(),
        config=True,
        help="除本机外允许的主机名或地址 (在办公网提供看板时) / extra Host names allowed",
    )
    aliases = {
        **Voila.aliases,
        "max_kernels": "PageServer.max_kernels",
        "allowed_hosts": "PageServer.allowed_hosts",
    }

    def init_settings(self) -> dict:
        settings = super().init_settings()
        names = local_names(self.ip) | {h.lower().strip("[]") for h in self.allowed_hosts}
        settings["xinfang_door"] = _Door(names, self.max_kernels)
        if is_loopback(self.ip):  # jupyter_server's own Host check as well (it allows only
            settings["allow_remote_access"] = False  # loopback addresses and these names)
            settings["local_hostnames"] = sorted(names)
        return settings

    def init_handlers(self) -> list:
        return [(rule[0], _guarded(rule[1]), *rule[2:]) for rule in super().init_handlers()]
