"""Every failure drift reports on purpose is a DriftError.

Messages are one line, name the bad value (usually the file) and say the fix,
so the CLI can print them as they are and ingestion jobs can log them.

A message that names a parameter (the bad one, or the one to pass) names it as a
``Param``: ``str(error)`` says it as a library caller passes it (``min_severity='huge'``,
``encoding=``), and the command line, which has flags instead, says it with the
running command's flag (``--min-severity 'huge'``, ``--encoding``) through
``DriftError.spelled``. ``error.parameters`` lists the parameters a message names. A parameter whose
option has another name on the command line (``Index``'s ``path`` is ``--index``, ``compare_stories``'
``out`` is ``--compare``) carries that flag as its ``option``.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Param:
    """A parameter named in a message: ``python`` is how a library caller reads it, ``value`` what follows the
    flag on a command line (nothing for the flag alone). Make one with ``param``, ``given`` or ``suggested``.

    The command line names it with the running command's option of the same Python name, unless ``option``
    says the flag: for a parameter whose option goes by another name there (``path`` is ``--index``).
    """

    name: str  # the Python parameter: min_severity
    python: str  # min_severity='huge', encoding=, model=PATH
    value: str = ""  # 'huge', latin-1, PATH
    option: str = ""  # the flag, when the command line's option is not named ``name``: --index

    def __str__(self) -> str:
        return self.python

    def on_command_line(self, flag: str) -> str:
        return f"{flag} {self.value}" if self.value else flag


def param(name: str, placeholder: str = "", *, option: str = "") -> Param:
    """The parameter itself (``encoding=`` / ``--encoding``), or with a placeholder (``model=PATH`` /
    ``--model PATH``)."""
    return Param(name, f"{name}={placeholder}", placeholder, option)


def given(name: str, value: object, *, quoted: bool = True, option: str = "") -> Param:
    """What the caller passed, quoted as given: ``min_severity='huge'`` / ``--min-severity 'huge'``; a path or an
    address is said on a command line as typed (``quoted=False``: ``model='my/dir'`` / ``--model my/dir``)."""
    return Param(name, f"{name}={value!r}", repr(value) if quoted else str(value), option)


def suggested(name: str, *values: str, option: str = "") -> Param:
    """Values to pass, each as its caller would type it: ``encoding='latin-1'`` / ``--encoding latin-1``;
    several are alternatives (``pairs='auto' or 'reference'`` / ``--pairs auto or reference``)."""
    return Param(name, f"{name}=" + " or ".join(map(repr, values)), " or ".join(values), option)


class DriftError(Exception):
    """Base class: catch this to handle any input or configuration problem.

    Built from message parts: text, and ``Param`` for every parameter the message names.
    ``str(error)`` (``args[0]``) is the message a library caller reads.
    """

    def __init__(self, *parts: str | Param) -> None:
        super().__init__("".join(map(str, parts)))
        self.parts = parts  # kept by pickle (a Ray worker's error) and copy, beside args

    @property
    def parameters(self) -> tuple[str, ...]:
        """The Python parameters the message names, in order: ``('pairs', 'reference')``."""
        return tuple(dict.fromkeys(p.name for p in self.parts if isinstance(p, Param)))

    def spelled(self, flag: Callable[[str], str]) -> str:
        """The message with each parameter named by ``flag(name)`` (or its own ``option``) and the value after
        it, as a command line says it: ``error.spelled(lambda name: "--" + name.replace("_", "-"))``."""
        return "".join(p.on_command_line(p.option or flag(p.name)) if isinstance(p, Param) else p
                       for p in self.parts)


class InputError(DriftError):
    """An input file or text cannot be read as an article."""


class LanguageError(DriftError):
    """No comparable language: the model does not cover the versions' language."""


class ModelError(DriftError):
    """The embedding model cannot be found or loaded."""


class IndexStoreError(DriftError):
    """A stored index is missing, corrupt or made with another model."""


class JobError(DriftError):
    """A distributed job failed: a task kept failing after its retries, or the cluster went away."""


class ConfigError(DriftError):
    """An option has a value outside its valid choices."""


class ArgumentError(DriftError, TypeError):
    """A library call got an argument of the wrong type (a path where an Article belongs, None for text)."""


def as_record(error: DriftError) -> str:
    """The error as one JSON string, for where only text is kept (a Ray shard's column, an index's record of a
    merged shard), so that ``from_record`` gives it back whole: a command line can then name its flags."""
    parts = [p if isinstance(p, str) else {"name": p.name, "python": p.python, "value": p.value, "option": p.option}
             for p in error.parts]
    return json.dumps({"error": type(error).__name__, "parts": parts}, ensure_ascii=False)


def from_record(text: str, plain: type[DriftError] | None = None) -> DriftError:
    """``as_record``'s error back; text that is no record (the message alone, as an older drift kept it) comes
    back as a ``plain`` error (an InputError unless said)."""
    try:
        data = json.loads(text)
        kind = globals()[data["error"]]
        parts = [p if isinstance(p, str) else Param(p["name"], p["python"], p["value"], p.get("option", ""))
                 for p in data["parts"]]
        if isinstance(kind, type) and issubclass(kind, DriftError):
            return kind(*parts)
    except (ValueError, KeyError, TypeError):
        pass
    return (plain or InputError)(text)


def type_name(value: object) -> str:
    """How a message names what a caller passed: ``None``, ``str 'a.txt'``, ``list``."""
    if value is None:
        return "None"
    if isinstance(value, (str, bytes)):
        shown = repr(value)
        return f"{type(value).__name__} {shown if len(shown) <= 40 else shown[:37] + '...'}"
    return type(value).__name__


def check_callback(value: object, caller: str, name: str, takes: str = "an InputError",
                   example: str = "problems.append") -> None:
    """An ``on_error``/``warn`` (or ``on_batch``, taking ``takes``) that is no function would fail only at the first
    bad input (or after the first batch was stored), far from the call."""
    if value is not None and not callable(value):
        raise ArgumentError(f"{caller}: {name} must be a function taking {takes} (or None), "
                            f"not {type_name(value)}; pass e.g. {name}={example}")


def interrupted_by(error: BaseException) -> bool:
    """Whether ``error`` is a Ctrl-C or came of one: Python 3.11 turns a KeyboardInterrupt that lands in a class
    body's ``__set_name__`` (a dataclass field's, as a module is imported) into a RuntimeError caused by it."""
    seen: set[int] = set()
    found: BaseException | None = error
    while found is not None and id(found) not in seen:
        if isinstance(found, KeyboardInterrupt):
            return True
        seen.add(id(found))
        found = found.__cause__ or found.__context__
    return False


def check_type(value: object, kind: type | tuple[type, ...], where: str, what: str, fix: str = "") -> None:
    """An argument of the wrong type, refused at the call (``where``: ``"score_pairs: timings"``, ``what``:
    ``"a dict (or None)"``): it would fail as an AttributeError far from it."""
    if not isinstance(value, kind):
        raise ArgumentError(f"{where} must be {what}, not {type_name(value)}" + (f"; {fix}" if fix else ""))


def check_flag(value: object, where: str) -> None:
    """A flag must be True or False: ``read_only="false"`` is a non-empty str, so it read as True."""
    check_type(value, bool, where, "True or False")


def check_fields(settings: object, probabilities: Collection[str] = ()) -> None:
    """Every field of a settings dataclass, by its default: an int is a count (``check_count``), a float a
    threshold (``check_number``); a field named in ``probabilities`` is one from 0 to 1, or None."""
    for f in fields(settings):  # type: ignore[arg-type]
        value = getattr(settings, f.name)
        if f.name in probabilities:
            if value is not None:
                check_number(f.name, value, 0.5, probability=True)
        elif isinstance(f.default, bool):
            check_flag(value, f.name)
        elif isinstance(f.default, int):
            check_count(f.name, value, f.default)
        elif isinstance(f.default, float):
            check_number(f.name, value, f.default)


def check_count(name: str, value: object, example: int) -> None:
    """A count a caller passes (a limit, a batch, workers): a positive whole number, refused at the call rather
    than as a Python or Ray error in the middle of the work."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(given(name, value), f": not a positive whole number; give a count such as {example}")


def check_number(name: str, value: object, example: float, probability: bool = False) -> None:
    """A threshold a caller passes (a cosine, a share; with ``probability``, one from 0 to 1): a string failed
    deep in the comparison, NaN silently aligned or flagged nothing. Past the range is allowed where it means
    "never" (a cosine floor of 1.01)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(given(name, value), f": not a finite number; give one such as {example}")
    if probability and not 0 <= value <= 1:
        raise ConfigError(given(name, value), f": not a probability from 0 to 1; give one such as {example}")


def choices(valid: Iterable[str]) -> str:
    """Render valid choices the same way in every message."""
    return ", ".join(repr(v) for v in valid)
