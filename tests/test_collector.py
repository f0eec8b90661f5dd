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
from landreserve.services.plan_audit import audit_file
from landreserve.services.plans import import_plan


@pytest.fixture
def collections():
    """The generations of the collections run while the test runs."""
    found: list[tuple[int, bool]] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":  # (generation, whether a pause was running)
            found.append((info["generation"], collector._depth > 0))

    gc.callbacks.append(note)
    yield found
    gc.callbacks.remove(note)


def test_no_collection_runs_during_an_import(ctx, tmp_path, collections, monkeypatch):
    plan = generate_plan(tmp_path / "plan.txt", 2000, seed=2)
    center = acting(ctx, "reserve_center")
    assert gc.isenabled()
    assert import_plan(center, plan.path).created
    during = [generation for generation, in_pause in collections if in_pause]
    assert during == [] and len(collections) <= 8  # a few before and after the pause (how many
    # depends on what ran before the test); the same import unpaused runs dozens (below)
    assert gc.isenabled()
    collections.clear()  # the control: without the pause the same import runs dozens of collections
    monkeypatch.setattr(collector, "paused", contextlib.nullcontext)
    again = generate_plan(tmp_path / "again.txt", 2000, seed=3)
    assert import_plan(center, again.path).created and len(collections) > 20, collections
    assert any(generation > 0 for generation, _ in collections)  # older generations walked too


def test_no_collection_runs_while_a_plan_is_audited(tmp_path, collections, monkeypatch):
    """``landreserve audit`` and the web's upload preview read and audit without a database, paused too."""
    plan = generate_plan(tmp_path / "plan.txt", 2000, seed=4)
    assert not audit_file(plan.path).has_errors
    assert [generation for generation, in_pause in collections if in_pause] == []
    assert len(collections) <= 8 and gc.isenabled()
    collections.clear()
    monkeypatch.setattr(collector, "paused", contextlib.nullcontext)
    assert not audit_file(plan.path).has_errors and len(collections) > 20, collections


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
