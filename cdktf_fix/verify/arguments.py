"""Arguments made up from a signature: how ``verify`` builds a stack that takes more than ``(scope, id)``.

Pure Python (no jsii); it runs in the synth worker, on the real classes of the sample, when the
generated entry calls ``build_stacks``.  The rules, for each parameter after the first ``skip``
positional ones (a stack's scope and id; ``*args`` takes them when it comes first):

- a parameter with a default is left out (the default applies); ``*args`` and ``**kwargs`` too;
  a positional-only one is passed by position, any other by keyword;
- ``str``, ``Any``, ``object`` or no annotation: a value by the words of the name (``region``
  -> ``"us-east-1"``, ``zone``/``az`` -> ``"us-east-1a"``, ``arn`` -> an ARN, ``cidr`` ->
  ``"10.0.0.0/16"``, ``account`` -> ``"123456789012"``, ``email``, ``domain``, else ``"test"``:
  ``environment_suffix="test"``); without an annotation, ``*tags`` is ``{}``;
- ``int``/``float``: 1 (``port`` -> 443, ``count``/``size`` -> 2); ``bool``: True; ``Literal``:
  its first value; an ``Enum``: its first member;
- ``list``/``Sequence``/``tuple``/``set``: one element, the element type's value for the same
  name; ``dict``/``Mapping``: ``{}``; ``Optional[X]`` (``X | None``): None; another union: its
  first member that can be built;
- a class of the sample (``local``) that is not a construct: an instance, its own ``__init__``
  (dataclass fields) built the same way, at most ``MAX_DEPTH`` classes deep; a TypedDict: a dict;
- anything else (a construct, a class from elsewhere, an annotation that does not resolve) cannot
  be made up: ``CannotBuild`` names the parameter (``props: StackProps -> vpc: Vpc (a construct)``).

Annotations are resolved with ``typing.get_type_hints``; when that fails (``from __future__
import annotations`` with a name that is not importable at run time), each one on its own.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import enum
import inspect
import json
import os
import re
import sys
import types
import typing
from typing import Any, Callable

MAX_DEPTH = 4
ARN = "arn:aws:iam::123456789012:role/test"
_EMPTY = inspect.Parameter.empty
_SEQUENCES = (list, tuple, set, frozenset, collections.abc.Sequence, collections.abc.MutableSequence,
              collections.abc.Iterable, collections.abc.Collection, collections.abc.Set)
_MAPPINGS = (dict, collections.abc.Mapping, collections.abc.MutableMapping)
_STRINGS = (  # (words of the name, value); the first match wins
    (("region",), "us-east-1"),
    (("zone", "zones", "az", "azs"), "us-east-1a"),
    (("arn", "arns"), ARN),
    (("cidr", "cidrs"), "10.0.0.0/16"),
    (("account", "accounts"), "123456789012"),
    (("email", "emails"), "test@example.com"),
    (("domain", "domains"), "example.com"),
)

CALLS: list[str] = []  # what the last build_stacks called (and skipped): the worker reports it


class CannotBuild(Exception):
    """No value can be made up for a parameter; the message names it (and the path to it)."""


class NoStackBuilt(Exception):
    """``build_stacks`` could build none of the stacks: the sample is ``no-entry``."""


@dataclasses.dataclass
class Made:
    """A made-up value and how it reads in a call (``"test"``, ``StackProps(region="us-east-1")``)."""

    value: Any
    text: str


def _words(name: str) -> list[str]:
    return [w.lower() for w in re.split(r"[\W_]+|(?<=[a-z0-9])(?=[A-Z])", name) if w]


def _text_value(name: str) -> str:
    words = _words(name)
    for keys, value in _STRINGS:
        if any(k in words for k in keys):
            return value
    return "test"  # environment, env, stage, suffix, name, prefix and the rest


def _number(name: str) -> int:
    words = _words(name)
    return 443 if "port" in words else 2 if {"count", "size"} & set(words) else 1


def _type_name(annotation) -> str:
    if isinstance(annotation, str):
        return annotation
    return getattr(annotation, "__name__", None) or repr(annotation).replace("typing.", "")


def _is_construct(cls: type) -> bool:
    return any(k.__name__ == "Construct" and k.__module__.split(".")[0] == "constructs" for k in cls.__mro__)


def _hints(function, owner: type | None) -> dict[str, Any]:
    """The function's annotations, resolved where they can be (a string stays where it cannot)."""
    hints: dict[str, Any] = {}
    fields = owner is not None and (dataclasses.is_dataclass(owner) or hasattr(owner, "_fields"))  # a NamedTuple
    for source in ([owner] if fields else []) + [function]:
        try:
            hints.update(typing.get_type_hints(source))
            continue
        except Exception:  # a name that does not resolve: each annotation on its own
            pass
        module = sys.modules.get(getattr(source, "__module__", None) or "")
        namespace = {**vars(typing), **getattr(function, "__globals__", {}), **(vars(module) if module else {})}
        raw = getattr(source, "__annotations__", None) or {}
        for name, annotation in raw.items():
            hints[name] = _evaluated(annotation, namespace)
    return hints


def _evaluated(annotation, namespace: dict):
    """A string annotation evaluated (a quoted one in a postponed module is a string twice), else as it is."""
    for _ in range(3):
        if not isinstance(annotation, str):
            break
        try:
            annotation = eval(annotation, namespace)  # the sample's own code runs anyway: this adds nothing
        except Exception:
            break
    return annotation


def call_arguments(target: Callable, skip: int = 0, local: Callable[[type], bool] | None = None,
                   path: tuple[str, ...] = ()) -> tuple[list[Made], dict[str, Made]]:
    """Positional and keyword arguments for ``target`` (a class or a function) beyond its first
    ``skip`` positional parameters; raises CannotBuild naming the parameter it cannot make up.
    ``local`` says whether a class belongs to the sample (default: defined in target's module)."""
    if local is None:
        module = getattr(target, "__module__", None)
        local = lambda cls: cls.__module__ == module  # noqa: E731
    function = target
    if inspect.isclass(target):  # not signature(target): jsii's metaclass takes (*args, **kwargs)
        function = target.__init__ if target.__init__ is not object.__init__ or target.__new__ is object.__new__ else target.__new__
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError) as error:
        raise CannotBuild(f"{_name(target)}: no signature ({error})") from None
    if inspect.isclass(target):
        parameters = parameters[1:]  # self (cls)
    hints = _hints(function, target if inspect.isclass(target) else None)
    args: list[Made] = []
    kwargs: dict[str, Made] = {}
    taken = 0
    for parameter in parameters:
        if parameter.kind is parameter.VAR_POSITIONAL:
            taken = skip  # *args takes the scope and id
        elif parameter.kind is parameter.VAR_KEYWORD:
            continue
        elif taken < skip and parameter.kind is not parameter.KEYWORD_ONLY:
            taken += 1
        elif parameter.default is _EMPTY:
            made = value_for(parameter.name, hints.get(parameter.name, parameter.annotation), local, path)
            if parameter.kind is parameter.POSITIONAL_ONLY:
                args.append(made)
            else:
                kwargs[parameter.name] = made
    if taken < skip:
        raise CannotBuild(f"{_name(target)} takes no {skip} positional arguments first (scope, id)")
    return args, kwargs


def _name(target) -> str:
    return getattr(target, "__qualname__", None) or getattr(target, "__name__", None) or repr(target)


def value_for(name: str, annotation, local: Callable[[type], bool], path: tuple[str, ...] = ()) -> Made:
    """A value for the parameter ``name: annotation``, by the module's rules."""
    here = (*path, f"{name}: {_type_name(annotation)}" if annotation is not _EMPTY else name)

    def cannot(why: str) -> CannotBuild:
        return CannotBuild(f"{' -> '.join(here)} ({why})")

    origin, members = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return value_for(name, members[0], local, path)
    if annotation is _EMPTY and name.lower().endswith("tags"):
        return Made({}, "{}")
    if annotation in (_EMPTY, Any, object, str):
        text = _text_value(name)
        return Made(text, json.dumps(text))
    if isinstance(annotation, str):  # did not resolve
        if re.match(r"^\s*(typing\.)?Optional\[", annotation) or re.search(r"(^|\|)\s*None\s*($|\|)", annotation):
            return Made(None, "None")
        raise cannot("an annotation that does not resolve")
    if annotation is None or annotation is type(None):
        return Made(None, "None")
    if origin in (typing.Union, types.UnionType):
        if type(None) in members:
            return Made(None, "None")
        errors = []
        for member in members:
            try:
                return value_for(name, member, local, path)
            except CannotBuild as error:
                errors.append(error)
        raise errors[0]
    if origin is typing.Literal:
        return Made(members[0], repr(members[0]))
    if annotation is bool:
        return Made(True, "True")
    if annotation in (int, float):
        number = _number(name)
        return Made(annotation(number), repr(annotation(number)))
    if annotation in _SEQUENCES or origin in _SEQUENCES:
        element = value_for(name, members[0] if members else _EMPTY, local, path)
        kind = origin or annotation
        if kind in (tuple, set, frozenset):
            return Made(kind([element.value]), f"{kind.__name__}([{element.text}])")
        return Made([element.value], f"[{element.text}]")
    if annotation in _MAPPINGS or origin in _MAPPINGS:
        return Made({}, "{}")
    if not inspect.isclass(annotation):
        raise cannot("a type verify cannot make up")
    if issubclass(annotation, enum.Enum):
        first = next(iter(annotation), None)
        if first is None:
            raise cannot("an empty Enum")
        return Made(first, f"{annotation.__name__}.{first.name}")
    if _is_construct(annotation):
        raise cannot("a construct")
    if len(path) >= MAX_DEPTH:
        raise cannot(f"classes nested more than {MAX_DEPTH} deep")
    if typing.is_typeddict(annotation):
        hints = _hints(annotation, None)
        made = {key: value_for(key, hints.get(key, _EMPTY), local, here) for key in sorted(annotation.__required_keys__)}
        return Made({k: m.value for k, m in made.items()}, "{" + ", ".join(f"{json.dumps(k)}: {m.text}" for k, m in made.items()) + "}")
    if not local(annotation):
        raise cannot("a class from outside the sample")
    args, kwargs = call_arguments(annotation, 0, local, here)
    try:
        value = annotation(*(m.value for m in args), **{k: m.value for k, m in kwargs.items()})
    except Exception as error:
        raise cannot(f"{annotation.__name__}(...) raised {type(error).__name__}: {error}") from None
    return Made(value, call_text(annotation.__name__, [m.text for m in args], kwargs))


def call_text(name: str, args: list[str], kwargs: dict[str, Made]) -> str:
    """``Name(arg, key=value)``, as the call reads."""
    return f"{name}({', '.join([*args, *(f'{k}={m.text}' for k, m in kwargs.items())])})"


def _under(folder: str) -> Callable[[type], bool]:
    """A class is the sample's when its module's file is under its folder."""
    root = os.path.join(os.path.realpath(folder), "")

    def local(cls: type) -> bool:
        file = getattr(sys.modules.get(cls.__module__), "__file__", None)
        return isinstance(file, str) and os.path.realpath(file).startswith(root)

    return local


def build_stacks(app, stacks: list[tuple[type, str]], folder: str | None = None) -> list:
    """Instantiate each stack class as ``cls(app, stack_id, <made-up arguments>)``; a stack
    whose arguments cannot be made up is skipped, and NoStackBuilt is raised when that is every
    one.  What was called and skipped is in ``CALLS``."""
    local = _under(folder) if folder else None
    planned, skipped = [], []
    for cls, stack_id in stacks:
        try:
            planned.append((cls, stack_id, *call_arguments(cls, 2, local)))
        except CannotBuild as error:
            skipped.append(f"{cls.__name__} needs {error}")
    CALLS[:] = [f"verify skipped {s}" for s in skipped]
    if not planned:
        raise NoStackBuilt(f"no entry, and no stack can be built from made-up arguments: {'; '.join(skipped)}")
    built = []
    for cls, stack_id, args, kwargs in planned:
        CALLS.append(f"verify called {call_text(cls.__name__, ['app', json.dumps(stack_id), *(m.text for m in args)], kwargs)}")
        built.append(cls(app, stack_id, *(m.value for m in args), **{k: m.value for k, m in kwargs.items()}))
    return built
