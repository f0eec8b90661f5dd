"""The plan import runs with Python's cyclic garbage collector paused (``services.collector``): counted, not
timed — no collection runs during a 2,000-parcel import (without the pause, dozens do), and the collector is
on again afterwards, also after a refused import and after nested and concurrent pauses."""

from __future__ import annotations

import contextlib
import gc
import threading

import pytest
from benchmarks.plan_import import generate_plan

from actors import acting
from landreserve.errors import InputError
from landreserve.services import collector
from landreserve.services.plans import import_plan


@pytest.fixture
def collections():
    """The generations of the collections run while the test runs."""
    found: list[int] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            found.append(info["generation"])

    gc.callbacks.append(note)
    yield found
    gc.callbacks.remove(note)


def test_no_collection_runs_during_an_import(ctx, tmp_path, collections, monkeypatch):
    plan = generate_plan(tmp_path / "plan.txt", 2000, seed=2)
    center = acting(ctx, "reserve_center")
    assert gc.isenabled()
    assert import_plan(center, plan.path).created
    assert (
        1 not in collections and 2 not in collections and len(collections) <= 3
    )  # before and after the pause
    assert gc.isenabled()
    collections.clear()  # the control: without the pause the same import runs dozens of collections
    monkeypatch.setattr(collector, "paused", contextlib.nullcontext)
    again = generate_plan(tmp_path / "again.txt", 2000, seed=3)
    assert import_plan(center, again.path).created and len(collections) > 20


def test_the_collector_is_on_again_after_a_refused_import(ctx, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("某县2026年土地储备计划\n编号\t坐落\t面积（公顷）\nA-01\t甲村\t0\n", encoding="utf-8")
    with pytest.raises(InputError):
        import_plan(acting(ctx, "reserve_center"), path)
    assert gc.isenabled()


def test_nested_and_concurrent_pauses_end_with_the_last():
    inside = threading.Event()
    release = threading.Event()

    def other() -> None:
        with collector.paused():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    with collector.paused():
        thread.start()
        assert inside.wait(10)
        with collector.paused():
            assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's pause still runs
    release.set()
    thread.join(10)
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
