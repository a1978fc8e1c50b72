"""The OpenAPI schema's view of the API's refusals: every operation may answer 404 (an unknown municipality,
version or key), a write also 400 (field errors), 401 (not signed in) and 403 (the rule that stops the caller);
a read 400 for a filter or parameter value it cannot read."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class Refusal(serializers.Serializer):
    detail = serializers.CharField(help_text="Why, in the request's language.")


FIELD_ERRORS = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
    },
    description="The request's fields (or `non_field_errors`) with what is wrong with each; a body that cannot "
    "be read at all gets `detail`.",
)


# The collections of the API, by which the documentation groups its operations (the last one in the path).
COLLECTIONS = (
    "versions",
    "units",
    "posts",
    "tasks",
    "people",
    "committees",
    "memberships",
    "committee-services",
    "forums",
    "networks",
    "budget-responsibilities",
    "budget-chain",
)


class AutoSchema(SpectacularAutoSchema):
    def get_tags(self) -> list[str]:
        parts = [part for part in self.path.split("/") if part and not part.startswith("{")]
        found = [part for part in parts if part in COLLECTIONS]
        return [found[-1] if found else "municipalities"]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        refusals = {"404": OpenApiResponse(Refusal, description="Not found: says what was looked for.")}
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            refusals["400"] = FIELD_ERRORS
            refusals["401"] = OpenApiResponse(Refusal, description="Not signed in.")
            refusals["403"] = OpenApiResponse(Refusal, description="Refused: names the rule that stops the caller.")
        else:
            refusals["400"] = FIELD_ERRORS
        for code, response in refusals.items():
            responses.setdefault(code, self._get_response_for_code(response, code, direction=direction))
        return responses
