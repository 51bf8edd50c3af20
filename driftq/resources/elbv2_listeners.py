"""Load balancer listeners (`aws_lb_listener`), keyed and imported by listener ARN.

DescribeLoadBalancers names the load balancers (the `aws_lb` spec's listing, sent once per
unit); DescribeListeners answers one load balancer's listeners per call (AWS takes listener
ARNs in a batch, but only ones already known); their tags come from DescribeTags, twenty
listeners per call.

Listener attributes (`tcp_idle_timeout_seconds`, the `routing_http_*` headers) have no
batch call: one DescribeListenerAttributes per listener. They are read only for listeners
a state holds: a listener outside every state is reported unmanaged whatever its
attributes, so asking for them would only cost calls; a managed estate's listeners are a
few per load balancer, so the cost is one call per managed listener per scan. AWS answers
every attribute that applies with its default filled in (the `X-Amzn-*` header names, the
server header on, a 350-second TCP idle timeout): "not set" on both sides.

`default_action` blocks are compared in one canonical form: a forward to one target group
is the same whether written as `target_group_arn` or as a `forward` block (AWS answers
both, with weight 1), a redirect's `#{host}`-style placeholders are what AWS fills in for
parts not given, and the order AWS numbers actions by is not compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from botocore.exceptions import ClientError

from driftq.aws.errors import error_code
from driftq.resources.attributes import common
from driftq.resources.batches import batches
from driftq.resources.context import ScanContext
from driftq.resources.spec import Attrs, ResourceSpec, Tags

Item = dict[str, Any]
_TAG_BATCH = 20  # DescribeTags' limit
_SECURE = ("HTTPS", "TLS")


def _listeners(ctx: ScanContext) -> Iterator[Item]:
    balancers = [
        lb["LoadBalancerArn"]
        for page in ctx.pages("elbv2", "DescribeLoadBalancers", {})
        for lb in page.get("LoadBalancers") or []
    ]
    listeners: list[Item] = []
    for arn in balancers:
        try:
            for page in ctx.pages("elbv2", "DescribeListeners", {"LoadBalancerArn": arn}):
                listeners.extend(dict(item) for item in page.get("Listeners") or [])
        except ClientError as exc:
            if error_code(exc) != "LoadBalancerNotFound":  # deleted since the listing
                raise
    return _described(ctx, listeners)


def listeners_named(ctx: ScanContext, arns: Iterable[str]) -> Iterator[Item]:
    """These listeners only, as the listing gives them (a targeted scan's read): one
    DescribeListeners by ARN each, as AWS refuses a whole batch for one listener that is
    gone (ListenerNotFound), which is left out, so reported missing."""
    listeners: list[Item] = []
    for arn in sorted(set(arns)):
        try:
            for page in ctx.pages("elbv2", "DescribeListeners", {"ListenerArns": [arn]}):
                listeners.extend(dict(item) for item in page.get("Listeners") or [])
        except ClientError as exc:
            if error_code(exc) != "ListenerNotFound":
                raise
    return _described(ctx, listeners)


def _described(ctx: ScanContext, listeners: list[Item]) -> Iterator[Item]:
    """The listeners with their tags, and the attributes of those a state holds."""
    arns = [item["ListenerArn"] for item in listeners]
    tags: dict[str, list[Item]] = {}
    for batch in batches(arns, _TAG_BATCH):
        params = {"ResourceArns": batch}
        try:
            for page in ctx.pages("elbv2", "DescribeTags", params, paginated=False):
                for entry in page.get("TagDescriptions") or []:
                    tags[entry["ResourceArn"]] = entry.get("Tags") or []
        except ClientError as exc:
            # a listener deleted since: AWS refuses the whole batch, ask one by one
            if error_code(exc) != "ListenerNotFound":
                raise
            for arn in params["ResourceArns"]:
                tags.update(_tags_of_one(ctx, arn))
    managed = _managed_arns(ctx)
    for item in listeners:
        arn = item["ListenerArn"]
        if arn not in tags:
            continue
        if arn in managed:
            attributes = _attributes_of(ctx, arn)
            if attributes is None:  # deleted since the listing
                continue
            item = {**item, "Attributes": attributes}
        yield {**item, "Tags": tags[arn]}


def _managed_arns(ctx: ScanContext) -> set[str]:
    return {
        str(attrs.get("arn") or attrs.get("id") or "")
        for attrs in ctx.state_attributes("aws_lb_listener")
    }


def _attributes_of(ctx: ScanContext, arn: str) -> dict[str, str] | None:
    params = {"ListenerArn": arn}
    try:
        pages = ctx.pages("elbv2", "DescribeListenerAttributes", params, paginated=False)
    except ClientError as exc:
        if error_code(exc) == "ListenerNotFound":
            return None
        raise
    return {a["Key"]: a.get("Value") or "" for p in pages for a in p.get("Attributes") or []}


# the provider's argument for each listener attribute is its key with dots as underscores
LISTENER_ATTRIBUTES = (
    "tcp_idle_timeout_seconds",
    "routing_http_request_x_amzn_mtls_clientcert_header_name",
    "routing_http_request_x_amzn_mtls_clientcert_issuer_header_name",
    "routing_http_request_x_amzn_mtls_clientcert_leaf_header_name",
    "routing_http_request_x_amzn_mtls_clientcert_serial_number_header_name",
    "routing_http_request_x_amzn_mtls_clientcert_subject_header_name",
    "routing_http_request_x_amzn_mtls_clientcert_validity_header_name",
    "routing_http_request_x_amzn_tls_cipher_suite_header_name",
    "routing_http_request_x_amzn_tls_version_header_name",
    "routing_http_response_access_control_allow_credentials_header_value",
    "routing_http_response_access_control_allow_headers_header_value",
    "routing_http_response_access_control_allow_methods_header_value",
    "routing_http_response_access_control_allow_origin_header_value",
    "routing_http_response_access_control_expose_headers_header_value",
    "routing_http_response_access_control_max_age_header_value",
    "routing_http_response_content_security_policy_header_value",
    "routing_http_response_server_enabled",
    "routing_http_response_strict_transport_security_header_value",
    "routing_http_response_x_content_type_options_header_value",
    "routing_http_response_x_frame_options_header_value",
)
_REQUEST = "routing_http_request_"


def _listener_attributes(answer: dict[str, str] | None) -> Attrs:
    """The attributes when they were read (a listener a state holds); AWS answers only
    those that apply to the listener's protocol, the others are unset."""
    if answer is None:
        return {}
    given = {key.replace(".", "_"): value for key, value in answer.items()}
    return {name: given.get(name, "") for name in LISTENER_ATTRIBUTES}


def _header_default(name: str) -> str:
    # AWS's header name for routing_http_request_x_amzn_tls_version_header_name:
    # X-Amzn-Tls-Version
    middle = name.removeprefix(_REQUEST).removesuffix("_header_name")
    return "-".join(part.capitalize() for part in middle.split("_"))


def _unless(default: str) -> Any:
    def form(value: Any) -> Any:
        return None if value is None or str(value).lower() == default.lower() else value

    return form


ATTRIBUTE_FORMS = {
    "tcp_idle_timeout_seconds": _unless("350"),
    "routing_http_response_server_enabled": _unless("true"),
} | {
    name: _unless(_header_default(name))
    for name in LISTENER_ATTRIBUTES
    if name.startswith(_REQUEST)
}


def _tags_of_one(ctx: ScanContext, arn: str) -> dict[str, list[Item]]:
    try:
        pages = ctx.pages("elbv2", "DescribeTags", {"ResourceArns": [arn]}, paginated=False)
    except ClientError as exc:
        if error_code(exc) == "ListenerNotFound":
            return {}
        raise
    return {e["ResourceArn"]: e.get("Tags") or [] for p in pages for e in p["TagDescriptions"]}


def _forward(config: Item) -> list[Item]:
    if not config:
        return []
    stickiness = config.get("TargetGroupStickinessConfig") or {}
    return [
        {
            "target_group": [
                {"arn": g.get("TargetGroupArn"), "weight": g.get("Weight", 1)}
                for g in config.get("TargetGroups") or []
            ],
            "stickiness": [
                {
                    "enabled": bool(stickiness.get("Enabled")),
                    "duration": stickiness.get("DurationSeconds") or 0,
                }
            ],
        }
    ]


def _snake(config: Item | None, names: dict[str, str]) -> list[Item]:
    if not config:
        return []
    return [{tf: config.get(aws) for aws, tf in names.items() if aws in config}]


_REDIRECT = {
    "Host": "host",
    "Path": "path",
    "Port": "port",
    "Protocol": "protocol",
    "Query": "query",
    "StatusCode": "status_code",
}
_FIXED = {"ContentType": "content_type", "MessageBody": "message_body", "StatusCode": "status_code"}
_COGNITO = {
    "UserPoolArn": "user_pool_arn",
    "UserPoolClientId": "user_pool_client_id",
    "UserPoolDomain": "user_pool_domain",
    "AuthenticationRequestExtraParams": "authentication_request_extra_params",
    "OnUnauthenticatedRequest": "on_unauthenticated_request",
    "Scope": "scope",
    "SessionCookieName": "session_cookie_name",
    "SessionTimeout": "session_timeout",
}
_OIDC = {
    "Issuer": "issuer",
    "AuthorizationEndpoint": "authorization_endpoint",
    "TokenEndpoint": "token_endpoint",
    "UserInfoEndpoint": "user_info_endpoint",
    "ClientId": "client_id",
    "AuthenticationRequestExtraParams": "authentication_request_extra_params",
    "OnUnauthenticatedRequest": "on_unauthenticated_request",
    "Scope": "scope",
    "SessionCookieName": "session_cookie_name",
    "SessionTimeout": "session_timeout",
}


def _action(action: Item, position: int) -> Item:
    return {
        "type": action.get("Type"),
        "order": action.get("Order") or position,
        "target_group_arn": action.get("TargetGroupArn") or "",
        "forward": _forward(action.get("ForwardConfig") or {}),
        "redirect": _snake(action.get("RedirectConfig"), _REDIRECT),
        "fixed_response": _snake(action.get("FixedResponseConfig"), _FIXED),
        "authenticate_cognito": _snake(action.get("AuthenticateCognitoConfig"), _COGNITO),
        "authenticate_oidc": _snake(action.get("AuthenticateOidcConfig"), _OIDC),
    }


def _listener(item: Item, ctx: ScanContext) -> Attrs:
    protocol = item.get("Protocol") or ""
    default_certificate: Item = next(
        (c for c in item.get("Certificates") or [] if c.get("IsDefault", True)), {}
    )
    mutual = item.get("MutualAuthentication") or {}
    return {
        "id": item["ListenerArn"],
        "arn": item["ListenerArn"],
        "load_balancer_arn": item.get("LoadBalancerArn"),
        "port": item.get("Port") or 0,
        "protocol": protocol,
        # only secure listeners have a policy (emulators answer one for any listener)
        "ssl_policy": (item.get("SslPolicy") or "") if protocol in _SECURE else "",
        "certificate_arn": default_certificate.get("CertificateArn") or "",
        "alpn_policy": next(iter(item.get("AlpnPolicy") or []), ""),
        "default_action": [
            _action(a, i) for i, a in enumerate(item.get("DefaultActions") or [], start=1)
        ],
        "mutual_authentication": [
            {
                "mode": mutual.get("Mode"),
                "trust_store_arn": mutual.get("TrustStoreArn") or "",
                "ignore_client_certificate_expiry": bool(
                    mutual.get("IgnoreClientCertificateExpiry")
                ),
                "advertise_trust_store_ca_names": mutual.get("AdvertiseTrustStoreCaNames") or "",
            }
        ]
        if mutual
        else [],
    } | _listener_attributes(item.get("Attributes"))


# what AWS writes for a redirect's parts the configuration leaves out
_REDIRECT_DEFAULTS = {
    "host": "#{host}",
    "path": "/#{path}",
    "port": "#{port}",
    "protocol": "#{protocol}",
    "query": "#{query}",
}


def _first(value: Any) -> Item:
    blocks = [b for b in value or [] if isinstance(b, dict)]
    return blocks[0] if blocks else {}


def _canonical_action(block: Item) -> Item:
    out: Item = {"type": block.get("type")}
    if block.get("type") == "forward":
        forward = _first(block.get("forward"))
        groups = [
            {"arn": g.get("arn"), "weight": g.get("weight")}
            for g in forward.get("target_group") or []
            if isinstance(g, dict)
        ]
        if not groups and block.get("target_group_arn"):
            groups = [{"arn": block["target_group_arn"]}]
        if len(groups) == 1:
            groups = [{"arn": groups[0]["arn"]}]  # one group takes all traffic: no weight
        out["target_groups"] = groups
        stickiness = _first(forward.get("stickiness"))
        if stickiness.get("enabled") in (True, "true"):
            out["stickiness"] = stickiness.get("duration")
    redirect = {
        k: v for k, v in _first(block.get("redirect")).items() if _REDIRECT_DEFAULTS.get(k) != v
    }
    out["redirect"] = redirect
    out["fixed_response"] = _first(block.get("fixed_response"))
    out["authenticate_cognito"] = _first(block.get("authenticate_cognito"))
    # the client secret is write-only: AWS never answers it back
    oidc = _first(block.get("authenticate_oidc"))
    out["authenticate_oidc"] = {k: v for k, v in oidc.items() if k != "client_secret"}
    return out


def _actions(value: Any) -> Any:
    blocks = [b for b in value or [] if isinstance(b, dict)]
    return [_canonical_action(b) for b in blocks]


def _mutual(value: Any) -> Any:
    # `mode = off` is a listener without mutual TLS
    blocks = [b for b in value or [] if isinstance(b, dict)]
    return [b for b in blocks if b.get("mode") not in (None, "", "off")]


SPECS: list[ResourceSpec] = [
    ResourceSpec(
        type="aws_lb_listener",
        service="elbv2",
        enumerate=_listeners,
        operations=(
            "elbv2:DescribeLoadBalancers",
            "elbv2:DescribeListeners",
            "elbv2:DescribeTags",
            "elbv2:DescribeListenerAttributes",
        ),
        tags=Tags(path="Tags"),
        normalize=_listener,
        compared=(
            "load_balancer_arn",
            "port",
            "protocol",
            "ssl_policy",
            "certificate_arn",
            "alpn_policy",
            "default_action",
            "mutual_authentication",
            *LISTENER_ATTRIBUTES,
            "tags",
        ),
        left_out=common("id", "region", "tags_all", "timeouts", "arn"),
        value_forms={
            "default_action": _actions,
            "mutual_authentication": _mutual,
            **ATTRIBUTE_FORMS,
        },
        import_id_format="listener ARN, e.g. arn:aws:elasticloadbalancing:...:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2",
    ),
]
