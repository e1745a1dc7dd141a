"""`Strict`: the base of every config model — unknown keys are errors with a did-you-mean."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Strict, model_validator
from pydantic_core import PydanticCustomError

from ..errors import did_you_mean

# Numbers and switches are taken as written: `true` is not 1, "3" is not 3 (an int is a fine float).
Int = Annotated[int, Strict()]
Float = Annotated[float, Strict()]
Bool = Annotated[bool, Strict()]


class Strict(BaseModel):
    """A config section: only its own keys are allowed."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, protected_namespaces=(), allow_inf_nan=False)
    refused_keys: ClassVar[dict[str, tuple[str, str]]] = {}  # keys refused with their own (message, hint)

    @classmethod
    def allowed_keys(cls) -> list[str]:
        """The keys this section accepts."""
        return [f.alias or name for name, f in cls.model_fields.items()]

    @model_validator(mode="before")
    @classmethod
    def _no_unknown_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            allowed = cls.allowed_keys()
            unknown = [k for k in data if k not in allowed]
            refused = [k for k in unknown if k in cls.refused_keys]
            if refused:
                message, hint = cls.refused_keys[refused[0]]
                raise PydanticCustomError("refused_key", message, {"key": refused[0], "hint": hint})
            if unknown:
                key = unknown[0]
                raise PydanticCustomError(
                    "unknown_key", "unknown key '{key}'{mean}",
                    {"key": key, "mean": did_you_mean(key, allowed), "allowed": allowed},
                )
        return data
