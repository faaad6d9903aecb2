"""Schemathesis hooks for digidash (loaded through SCHEMATHESIS_HOOKS by tests/fuzz/run).

- Values for the `Decimal` scalar (money as a string): ordinary amounts and hostile ones.
- `no_server_failure`: the only check. Schemathesis' own `not_a_server_error` counts every
  resolver error as a server error, but FORBIDDEN, NOT_FOUND or CONFLICT are correct answers
  to fuzzed input. A failure of ours is a 5xx, a body that is not a GraphQL response, an error
  coded INTERNAL, an error without a code, or a refused mutation that answers `data: null`
  instead of a null payload.
"""

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.decimals(
            allow_nan=False,
            allow_infinity=False,
            places=2,
            min_value=-(10**15),
            max_value=10**15,
        ).map(str),
        st.sampled_from(
            ["0", "-0.00", "1e400", "NaN", "12345678901234567890.123", "abc", "", "1,5"]
        ),
    ).map(nodes.String),
)


@schemathesis.check
def no_server_failure(ctx, response, case):
    """No 5xx, always a GraphQL response, every error coded and none INTERNAL."""
    if response.status_code >= 500:
        raise AssertionError(f"server error: HTTP {response.status_code}: {response.text[:500]}")
    try:
        payload = response.json()
    except ValueError as err:
        raise AssertionError(f"not a JSON body (HTTP {response.status_code})") from err
    if not isinstance(payload, dict):
        raise AssertionError("the body is not a GraphQL response object")
    for error in payload.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code is None:
            raise AssertionError(f"an error without extensions.code: {error}")
        if code == "INTERNAL":
            raise AssertionError(f"an internal error: {error}")
    # A mutation's payload is nullable: a refusal or bad input answers `null` for it, with the
    # error beside it, never `"data": null` for an executed operation.
    errors = payload.get("errors") or []
    executed = errors and all(error.get("path") for error in errors)
    body = getattr(case, "body", None)
    query = body.get("query", "") if isinstance(body, dict) else str(body or "")
    is_mutation = query.lstrip().startswith("mutation")
    if is_mutation and executed and payload.get("data") is None:
        raise AssertionError(f"a refused mutation answered `data: null`: {errors[0]}")
