"""core.memory: the garbage collector paused around a batch, and back on afterwards."""

import gc

import pytest

from oversight.core.memory import collector_paused


def test_the_collector_is_off_in_the_batch_and_on_again_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "an inner batch does not switch it on for the outer one"
    assert gc.isenabled()


def test_an_error_in_the_batch_still_switches_it_back_on():
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()


def test_it_stays_off_where_it_was_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
