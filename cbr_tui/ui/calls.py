"""Asking the services off the event loop: the console never waits on the database.

A screen, page or dialog asks in a thread worker; the answer (or the refusal) comes back to it as a message,
handled on the event loop like a key press (Harlequin's shape). A SQLite file another process is writing, or a
PostgreSQL server across a network, then slows the answer, never the keys.

Two kinds of question:
- a *load* (what a list or a header shows) replaces the one before it: only the newest answer is shown, so
  a filter typed quickly never shows an older list last;
- an *operation* (what a dialog's OK does) runs to its end and is answered whatever comes after it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from cbr_tui.domain.errors import CbrError

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.message_pump import MessagePump

R = TypeVar("R")

LOADS = "service-loads"
OPERATIONS = "service-operations"
GROUPS = (LOADS, OPERATIONS)


class ServiceAnswer(Message, bubble=False):
    """What a question to the services came back with, for the node that asked."""

    def __init__(self, worker: Worker[None], deliver: Callable[[], object]) -> None:
        super().__init__()
        self.worker = worker
        self.deliver = deliver


@dataclass(frozen=True)
class _Question:
    node: MessagePump
    call: Callable[[], Any]
    then: Callable[[Any], object]
    refused: Callable[[CbrError], object]

    def __call__(self) -> None:
        """Runs in the worker's thread: ask, then post what came back (posting is safe from a thread and
        never waits, so a console closing meanwhile leaves no thread blocked)."""
        worker = get_current_worker()
        deliver: Callable[[], object]
        try:
            deliver = partial(self.then, self.call())
        except CbrError as error:
            deliver = partial(self.refused, error)
        except Exception as error:  # anything else is shown as unexpected, with the log's path
            deliver = partial(self.node.app.report_exception, error)  # type: ignore[attr-defined]
        with suppress(RuntimeError):  # the console's loop is closed: nobody is left to answer
            self.node.post_message(ServiceAnswer(worker, deliver))


class Asks:
    """Mixed into a console screen, page or dialog (a Textual `MessagePump`): `ask` and `busy`."""

    def ask(self, call: Callable[[], R], then: Callable[[R], object], *,
            refused: Callable[[CbrError], object] | None = None, load: bool = True) -> Worker[None]:
        """Call a service in a worker; `then` gets the answer on the event loop, `refused` a refusal (by
        default the console's refusal dialog). A load replaces this node's load still being asked."""
        node = cast("DOMNode", self)
        question = _Question(node, call, then, refused or node.app.report_exception)  # type: ignore[attr-defined]
        return node.run_worker(question, name=getattr(call, "__name__", "ask"), group=LOADS if load else OPERATIONS,
                               thread=True, exclusive=load, exit_on_error=False)

    def busy(self, group: str = LOADS) -> bool:
        """Whether a question of this node, or of a node inside it (a page's tabs), is still being asked:
        a refresh every second skips a beat rather than replacing a slow load before it is ever shown."""
        node = cast("DOMNode", self)
        return any(w.group == group and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
                   and (w.node is node or node in getattr(w.node, "ancestors", ())) for w in node.app.workers)

    def on_service_answer(self, message: ServiceAnswer) -> None:
        """Show what came back, unless a newer load replaced the question meanwhile."""
        message.stop()
        if not message.worker.is_cancelled:
            message.deliver()
