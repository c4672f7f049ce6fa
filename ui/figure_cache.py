"""Figures built once per content, not on every run (docs/performance.md, "In the browser").

Plotly validates every property as a figure is built; a figure of many panels (the Targets page's
small multiples: 40 traces in 12 panels) took a third of a second of the server's run, on every
run and for every user, for a picture that changes only with its data and language.

``cached(builder, *args)`` returns ``builder(*args)`` from a cache shared by every session, keyed by
the builder and its arguments (data frames by their content; a function argument by its name, so
the function must depend only on the other arguments, e.g. a number format of the language that
is passed too). The figure's margins are sized before it is cached (``presentation.margins``), so drawing it
later changes nothing in it, and ``components.chart_block`` does not size it again (``is_built``). A
builder may also return a figure with its table, ``(figure, table)``, or any other result of its
arguments (the Outcomes page's caveats). Callers must not change what they get from here: it is the
same object for everyone.
"""

from __future__ import annotations

import hashlib
import pickle
import weakref
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from presentation import margins
from ui.data import function_key


def _plain(value: object) -> object:
    """A value as it goes into the key: a function by its name, a container by its parts."""
    if callable(value) and hasattr(value, "__qualname__"):
        return function_key(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


def key(builder: Callable, args: tuple, kwargs: dict) -> str:
    """The builder and its arguments' content as one digest (data frames pickled: their cells may hold lists)."""
    return hashlib.sha256(pickle.dumps((_plain(builder), _plain(args), _plain(kwargs)), protocol=5)).hexdigest()


# the figures built here, their margins sized, by identity (a figure is not hashable)
_BUILT: weakref.WeakValueDictionary[int, go.Figure] = weakref.WeakValueDictionary()


@st.cache_resource(max_entries=256, show_spinner=False)
def _build(digest: str, _builder: Callable[..., Any], _args: tuple, _kwargs: dict) -> Any:
    result = _builder(*_args, **_kwargs)
    first = result[0] if isinstance(result, tuple) and result else result
    if isinstance(first, go.Figure):
        _BUILT[id(first)] = margins.presize(first)
    return result


def cached(builder: Callable[..., Any], *args: object, **kwargs: object) -> Any:
    """``builder(*args, **kwargs)``, built once for the same builder and arguments (never change the result)."""
    return _build(key(builder, args, kwargs), builder, args, kwargs)


def is_built(fig: go.Figure) -> bool:
    """Whether the figure came from here, its margins already sized."""
    return _BUILT.get(id(fig)) is fig
