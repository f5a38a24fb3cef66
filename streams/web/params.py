"""Query parameters of the API and page, validated: bounded limits, known windows, clear 400s."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_LIMIT = 1000
MAX_NAME = 256


class _Params(BaseModel):
    # query strings are text: let pydantic turn "10" into 10, but refuse unknown parameters
    model_config = ConfigDict(extra="forbid", frozen=True)


class TopParams(_Params):
    window: Literal["1h", "1d"] = "1d"
    limit: int = Field(10, ge=1, le=MAX_LIMIT)
    start: int | None = Field(None, ge=0, description="Unix seconds inside the window wanted; default: now.")


class TrendingParams(TopParams):
    kind: Literal["speakers", "entities"] = "entities"


class ProfileParams(_Params):
    name: str = Field(min_length=1, max_length=MAX_NAME)
    type: str | None = Field(None, min_length=1, max_length=32, pattern=r"^[A-Z_]+$")
    window: Literal["1h", "1d"] = "1d"
    start: int | None = Field(None, ge=0)


class GroupParams(ProfileParams):
    """Internal: one group asked of the worker that owns it."""

    group: str = Field(min_length=1, max_length=MAX_NAME + 40)
    kind: Literal["speaker", "entity"]


class FeedParams(_Params):
    limit: int = Field(20, ge=1, le=200)


class BadParams(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def parse(model: type[_Params], query) -> _Params:
    """The model from a request's query (a multidict), or BadParams naming each wrong parameter."""
    data: dict[str, str] = {}
    for key in query.keys():
        values = query.getall(key)
        if len(values) > 1:
            raise BadParams([f"{key}: given {len(values)} times"])
        data[key] = values[0]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BadParams([f"{'.'.join(map(str, e['loc'])) or '(query)'}: {e['msg']}"
                         for e in exc.errors(include_url=False, include_input=False)]) from None
