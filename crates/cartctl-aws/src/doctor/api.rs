//! The shop's API's checks (`setup --api`): its routes put cart events on this bus through
//! EventBridge-PutEvents integrations (`api-routes`), with a role API Gateway may assume and
//! that may put events on the bus (`api-role`), not open to anyone (`api-auth`), served by a
//! throttled, auto-deployed `$default` stage (`api-stage`) that writes an access log to a log
//! group kept for a bounded time (`api-logs`).

use aws_sdk_apigatewayv2::Client;

use super::role::permission_check;
use super::{Check, Found, error_check};
use crate::sdk::apigw::{self, Integration, Route};
use crate::sdk::{Clients, iam};
use cartctl_core::blueprint::API_ROUTES;
use cartctl_core::policy::{self, Trust};

const FIX: &str = "run `cartctl setup --api` (with the same --bus and --name-prefix)";

/// Every API check, or one skip when there is no API and none is configured.
pub(super) async fn check_api(clients: &Clients, found: &Found<'_>) -> Vec<Check> {
    let Some(url) = &found.req.api_url else {
        return vec![Check::skip(
            "api",
            "no api_url is configured (setup --api writes it)",
        )];
    };
    let Some(id) = apigw::api_id_of(url) else {
        return vec![Check::fail(
            "api",
            format!("api_url `{url}` is not an execute-api URL"),
            FIX,
        )];
    };
    let gw = Client::new(clients.config());
    let api = match apigw::get_api(&gw, id).await {
        Ok(Some(api)) => api,
        Ok(None) => {
            return vec![Check::fail(
                "api",
                format!("HTTP API {id} ({url}) does not exist"),
                FIX,
            )];
        }
        Err(e) => return vec![error_check("api", e)],
    };
    let (routes, integrations) = match (
        apigw::routes(&gw, &api.id).await,
        apigw::integrations(&gw, &api.id).await,
    ) {
        (Ok(r), Ok(i)) => (r, i),
        (Err(e), _) | (_, Err(e)) => return vec![error_check("api-routes", e)],
    };
    let mut checks = vec![check_routes(&routes, &integrations, found)];
    let role = integrations.iter().find_map(|i| i.credentials.clone());
    checks.push(check_role(clients, role.as_deref(), found).await);
    checks.push(check_auth(&routes));
    let stage = apigw::stage(&gw, &api.id).await;
    let access_log = stage
        .as_ref()
        .ok()
        .and_then(|s| s.as_ref())
        .and_then(|s| s.access_log.clone());
    checks.push(match stage {
        Ok(Some(s)) if !s.auto_deploy => Check::fail(
            "api-stage",
            "the $default stage does not deploy changes by itself",
            FIX,
        ),
        Ok(Some(s)) if s.rate_limit.is_none() || s.burst_limit.is_none() => Check::warn(
            "api-stage",
            "the $default stage has no throttling limits: one caller can use the account's whole quota",
            "run `cartctl setup --api --api-rate-limit N --api-burst-limit N`",
        ),
        Ok(Some(s)) => Check::ok(
            "api-stage",
            format!(
                "$default stage, auto-deployed, {} requests/s (burst {})",
                s.rate_limit.unwrap_or_default(),
                s.burst_limit.unwrap_or_default()
            ),
        ),
        Ok(None) => Check::fail("api-stage", "the API has no $default stage: it answers nothing", FIX),
        Err(e) => error_check("api-stage", e),
    });
    checks.push(check_access_log(clients, access_log, found).await);
    checks
}

/// `api-logs`: the stage writes an access log, to a log group that exists with a retention.
async fn check_access_log(
    clients: &Clients,
    access_log: Option<(String, String)>,
    found: &Found<'_>,
) -> Check {
    const NAME: &str = "api-logs";
    let Some((destination, _)) = access_log else {
        return Check::fail(
            NAME,
            "the $default stage writes no access log: who called the API, and why a call failed, is not kept",
            FIX,
        );
    };
    let Some(group) = super::logs::group_name(&destination) else {
        return Check::fail(
            NAME,
            format!("the access log goes to {destination}, not a log group"),
            FIX,
        );
    };
    let logs = aws_sdk_cloudwatchlogs::Client::new(clients.config());
    super::logs::check_log_group(&logs, NAME, group, None, found, FIX).await
}

/// `api-routes`: each route exists and puts the shop's source onto this bus, the body as the detail.
fn check_routes(routes: &[Route], integrations: &[Integration], found: &Found<'_>) -> Check {
    const NAME: &str = "api-routes";
    for (key, _) in API_ROUTES {
        let Some(route) = routes.iter().find(|r| r.key == key) else {
            return Check::fail(NAME, format!("the API has no route {key}"), FIX);
        };
        let integration = route.target.as_deref().and_then(|t| {
            integrations
                .iter()
                .find(|i| format!("integrations/{}", i.id) == t)
        });
        let Some(i) = integration.filter(|i| i.subtype.as_deref() == Some(apigw::PUT_EVENTS))
        else {
            return Check::fail(
                NAME,
                format!("route {key} has no EventBridge-PutEvents integration"),
                FIX,
            );
        };
        let p = |k: &str| i.parameters.get(k).map(String::as_str);
        let bus = p("EventBusName").unwrap_or("default");
        if bus != found.req.bus && bus != found.bus_arn {
            return Check::fail(
                NAME,
                format!(
                    "route {key} puts events on `{bus}`, not `{}`",
                    found.req.bus
                ),
                FIX,
            );
        }
        if p("Source") != Some(found.req.source.as_str()) || p("Detail") != Some("$request.body") {
            return Check::fail(
                NAME,
                format!(
                    "route {key} does not put the body as a `{}` event",
                    found.req.source
                ),
                FIX,
            );
        }
    }
    Check::ok(
        NAME,
        format!(
            "{} routes put cart events on {}",
            API_ROUTES.len(),
            found.req.bus
        ),
    )
}

/// `api-role`: API Gateway may assume the integrations' role, and it may put events on the bus.
async fn check_role(clients: &Clients, role_arn: Option<&str>, found: &Found<'_>) -> Check {
    const NAME: &str = "api-role";
    let Some(arn) = role_arn else {
        return Check::fail(
            NAME,
            "the integrations name no role to put events with",
            FIX,
        );
    };
    let name = super::role::role_name(arn);
    let role = match iam::get_role(&clients.iam, name).await {
        Ok(Some(r)) => r,
        Ok(None) => return Check::fail(NAME, format!("role {arn} does not exist"), FIX),
        Err(e) => return error_check(NAME, e),
    };
    let ctx = [("aws:SourceAccount", found.caller.account.as_str())];
    if matches!(
        policy::trusts(&role.trust, "apigateway.amazonaws.com", &ctx),
        Trust::None | Trust::Mismatch(_)
    ) {
        return Check::fail(
            NAME,
            format!("role {name} does not let apigateway.amazonaws.com assume it"),
            FIX,
        );
    }
    match iam::role_policies(&clients.iam, name).await {
        Ok(docs) => permission_check(
            NAME,
            &docs,
            "events:PutEvents",
            &found.bus_arn,
            &format!("role {name}"),
        ),
        Err(e) => error_check(NAME, e),
    }
}

/// `api-auth`: no route is open to anyone (anyone could make the shop e-mail any address).
fn check_auth(routes: &[Route]) -> Check {
    const NAME: &str = "api-auth";
    let open: Vec<&str> = routes
        .iter()
        .filter(|r| r.authorization == "NONE")
        .map(|r| r.key.as_str())
        .collect();
    if open.is_empty() {
        let kinds: std::collections::BTreeSet<&str> =
            routes.iter().map(|r| r.authorization.as_str()).collect();
        return Check::ok(
            NAME,
            format!(
                "every route needs authorization ({})",
                kinds.into_iter().collect::<Vec<_>>().join(", ")
            ),
        );
    }
    Check::warn(
        NAME,
        format!(
            "open to anyone: {} (anyone can put cart events and make the shop e-mail any address)",
            open.join(", ")
        ),
        "run `cartctl setup --api` (IAM authorization) or with --api-jwt-issuer",
    )
}
