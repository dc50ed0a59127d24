"""``deh test`` over several countries at once: each country's scenarios and sweep in a process of its own, the
results given back in the order the countries were named, so what is printed does not depend on which finished
first. One country runs in this process, its sweep free to use every processor."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from deh_deploy.config.model import HubConfig
from deh_deploy.diagnostics import Diagnostic
from deh_deploy.errors import ConfigError, DehError
from deh_deploy.simulate.scenarios import Suite, run_suite
from deh_deploy.simulate.sweep import SweepReport, sweep


@dataclass(frozen=True)
class Checked:
    hub: HubConfig
    suite: Suite
    sweep: SweepReport | None


@dataclass(frozen=True)
class _Failed:
    """An expected failure, carried back from a worker as data (the exception itself may not survive pickling)."""

    kind: type[DehError]
    message: str
    diagnostics: tuple[Diagnostic, ...] = ()

    def exception(self) -> DehError:
        if issubclass(self.kind, ConfigError):
            return ConfigError(list(self.diagnostics))
        return self.kind(self.message)


# The hubs a worker checks, set before the pool forks (a config holds read-only mappings, which do not pickle).
_HUBS: Sequence[HubConfig] = ()


def _check(
    index: int,
    with_sweep: bool,
    env: str | None,
    processes: int | None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Suite, SweepReport | None] | _Failed:
    hub = _HUBS[index]
    try:
        suite = run_suite(hub)
        report = (
            sweep(hub, env=env or next(iter(hub.environments)), processes=processes, progress=progress)
            if with_sweep
            else None
        )
    except ConfigError as exc:
        return _Failed(type(exc), str(exc), tuple(exc.diagnostics))
    except DehError as exc:
        return _Failed(type(exc), str(exc))
    return suite, report


def check_countries(
    hubs: Sequence[HubConfig],
    *,
    with_sweep: bool,
    env: str | None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Checked]:
    """Each hub's suite (and sweep), in order; countries side by side on the machine's processors.
    ``progress(done, total)`` counts countries when there are several, one country's sweep when there is one."""
    global _HUBS
    workers = min(len(hubs), os.cpu_count() or 1)
    _HUBS = hubs
    try:
        if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            for i, hub in enumerate(hubs):
                one = progress if len(hubs) == 1 else None
                yield _unwrap(hub, _check(i, with_sweep, env, None, one))
                if progress is not None and len(hubs) > 1:
                    progress(i + 1, len(hubs))
            return
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            # Each country's sweep stays in its own process: the countries already share the processors.
            futures = [pool.submit(_check, i, with_sweep, env, 1) for i in range(len(hubs))]
            if progress is not None:
                _count_finished(futures, progress)
            for hub, future in zip(hubs, futures, strict=True):
                yield _unwrap(hub, future.result())
    finally:
        _HUBS = ()


def _count_finished(futures: Sequence[Future[Any]], progress: Callable[[int, int], None]) -> None:
    """Report each country as it finishes, whatever the order the results are printed in."""
    lock, finished = threading.Lock(), [0]

    def one_more(_future: Future[Any]) -> None:
        with lock:
            finished[0] += 1
            progress(finished[0], len(futures))

    progress(0, len(futures))
    for future in futures:
        future.add_done_callback(one_more)


def _unwrap(hub: HubConfig, result: tuple[Suite, SweepReport | None] | _Failed) -> Checked:
    if isinstance(result, _Failed):
        raise result.exception()
    return Checked(hub, *result)
