//! API Gateway v2 calls for the shop's HTTP API (setup, doctor, teardown): the API found by
//! name, its EventBridge-PutEvents integrations, routes, JWT authorizer and `$default` stage.
//! The client is made from the session's configuration when setup or doctor needs it, so the
//! Lambda functions do not carry it.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_apigatewayv2::Client;
use aws_sdk_apigatewayv2::types::{
    AccessLogSettings, AuthorizationType, AuthorizerType, IntegrationType, JwtConfiguration,
    ProtocolType, RouteSettings,
};

use super::aws_err;
use cartctl_core::error::Result;

/// The integration subtype that puts events on a bus.
pub const PUT_EVENTS: &str = "EventBridge-PutEvents";
/// The stage that serves the API's base URL.
pub const DEFAULT_STAGE: &str = "$default";

/// An HTTP API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    /// Its id.
    pub id: String,
    /// Its base URL.
    pub endpoint: Option<String>,
    /// Its tags.
    pub tags: HashMap<String, String>,
}

/// The API named `name`, if there is one (the first, if several share it).
pub async fn find_api(client: &Client, name: &str) -> Result<Option<Api>> {
    let mut token: Option<String> = None;
    loop {
        let out = client
            .get_apis()
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(aws_err("GetApis"))?;
        if let Some(a) = out.items().iter().find(|a| a.name() == Some(name)) {
            return Ok(Some(Api {
                id: a.api_id().unwrap_or_default().to_owned(),
                endpoint: a.api_endpoint().map(str::to_owned),
                tags: a.tags().cloned().unwrap_or_default(),
            }));
        }
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(None);
        }
    }
}

/// The API `id`, if it exists.
pub async fn get_api(client: &Client, id: &str) -> Result<Option<Api>> {
    let out = client
        .get_api()
        .api_id(id)
        .send()
        .await
        .map_err(aws_err("GetApi"));
    Ok(super::found(out)?.map(|a| Api {
        id: a.api_id().unwrap_or_default().to_owned(),
        endpoint: a.api_endpoint().map(str::to_owned),
        tags: a.tags().cloned().unwrap_or_default(),
    }))
}

/// The API id in an `https://<id>.execute-api.<region>.amazonaws.com[/…]` URL.
pub fn api_id_of(url: &str) -> Option<&str> {
    let host = url.strip_prefix("https://")?.split('/').next()?;
    let (id, rest) = host.split_once('.')?;
    (rest.starts_with("execute-api.") && !id.is_empty()).then_some(id)
}

/// Creates an HTTP API.
pub async fn create_api(client: &Client, name: &str, tags: &[(&str, &str)]) -> Result<Api> {
    let tags = super::tag_map(tags);
    let out = client
        .create_api()
        .name(name)
        .protocol_type(ProtocolType::Http)
        .description("the shop's cart events onto the bus (cartctl setup --api)")
        .set_tags(Some(tags.clone()))
        .send()
        .await
        .map_err(aws_err("CreateApi"))?;
    Ok(Api {
        id: out.api_id().unwrap_or_default().to_owned(),
        endpoint: out.api_endpoint().map(str::to_owned),
        tags,
    })
}

/// Deletes an API with its routes, integrations, authorizers and stages.
pub async fn delete_api(client: &Client, id: &str) -> Result<()> {
    client
        .delete_api()
        .api_id(id)
        .send()
        .await
        .map_err(aws_err("DeleteApi"))?;
    Ok(())
}

/// An integration of an API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    /// Its id.
    pub id: String,
    /// Its subtype (`EventBridge-PutEvents`).
    pub subtype: Option<String>,
    /// The role API Gateway assumes.
    pub credentials: Option<String>,
    /// Its request parameters.
    pub parameters: BTreeMap<String, String>,
}

/// The API's integrations.
pub async fn integrations(client: &Client, api: &str) -> Result<Vec<Integration>> {
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = client
            .get_integrations()
            .api_id(api)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(aws_err("GetIntegrations"))?;
        all.extend(out.items().iter().map(|i| {
            Integration {
                id: i.integration_id().unwrap_or_default().to_owned(),
                subtype: i.integration_subtype().map(str::to_owned),
                credentials: i.credentials_arn().map(str::to_owned),
                parameters: i
                    .request_parameters()
                    .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default(),
            }
        }));
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(all);
        }
    }
}

/// Creates an EventBridge-PutEvents integration (payload format 1.0, as AWS service
/// integrations need); its id.
pub async fn create_integration(
    client: &Client,
    api: &str,
    role_arn: &str,
    parameters: &BTreeMap<String, String>,
) -> Result<String> {
    let out = client
        .create_integration()
        .api_id(api)
        .integration_type(IntegrationType::AwsProxy)
        .integration_subtype(PUT_EVENTS)
        .credentials_arn(role_arn)
        .payload_format_version("1.0")
        .set_request_parameters(Some(parameters.clone().into_iter().collect()))
        .send()
        .await
        .map_err(aws_err("CreateIntegration"))?;
    Ok(out.integration_id().unwrap_or_default().to_owned())
}

/// Sets an integration's role and request parameters.
pub async fn update_integration(
    client: &Client,
    api: &str,
    id: &str,
    role_arn: &str,
    parameters: &BTreeMap<String, String>,
) -> Result<()> {
    client
        .update_integration()
        .api_id(api)
        .integration_id(id)
        .credentials_arn(role_arn)
        .set_request_parameters(Some(parameters.clone().into_iter().collect()))
        .send()
        .await
        .map_err(aws_err("UpdateIntegration"))?;
    Ok(())
}

/// A route of an API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Its id.
    pub id: String,
    /// `POST /cart`.
    pub key: String,
    /// `integrations/<id>`.
    pub target: Option<String>,
    /// `AWS_IAM`, `JWT`, `NONE`, `CUSTOM`.
    pub authorization: String,
    /// Its authorizer, for `JWT`.
    pub authorizer: Option<String>,
}

/// The API's routes.
pub async fn routes(client: &Client, api: &str) -> Result<Vec<Route>> {
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = client
            .get_routes()
            .api_id(api)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(aws_err("GetRoutes"))?;
        all.extend(out.items().iter().map(|r| {
            Route {
                id: r.route_id().unwrap_or_default().to_owned(),
                key: r.route_key().unwrap_or_default().to_owned(),
                target: r.target().map(str::to_owned),
                authorization: r
                    .authorization_type()
                    .map_or("NONE", |a| a.as_str())
                    .to_owned(),
                // A cleared authorizer may read back as an empty id.
                authorizer: r
                    .authorizer_id()
                    .filter(|id| !id.is_empty())
                    .map(str::to_owned),
            }
        }));
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(all);
        }
    }
}

/// What a route should be.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec<'a> {
    /// `POST /cart`.
    pub key: &'a str,
    /// `integrations/<id>`.
    pub target: &'a str,
    /// `AWS_IAM`, `JWT`, `NONE`.
    pub authorization: &'a str,
    /// Its authorizer, for `JWT`.
    pub authorizer: Option<&'a str>,
}

/// Creates a route; its id.
pub async fn create_route(client: &Client, api: &str, r: &RouteSpec<'_>) -> Result<String> {
    let out = client
        .create_route()
        .api_id(api)
        .route_key(r.key)
        .target(r.target)
        .authorization_type(AuthorizationType::from(r.authorization))
        .set_authorizer_id(r.authorizer.map(str::to_owned))
        .send()
        .await
        .map_err(aws_err("CreateRoute"))?;
    Ok(out.route_id().unwrap_or_default().to_owned())
}

/// Sets a route's target and authorization; a route without an authorizer has its
/// `AuthorizerId` cleared (left out, the old one would stay).
pub async fn update_route(client: &Client, api: &str, id: &str, r: &RouteSpec<'_>) -> Result<()> {
    client
        .update_route()
        .api_id(api)
        .route_id(id)
        .target(r.target)
        .authorization_type(AuthorizationType::from(r.authorization))
        .authorizer_id(r.authorizer.unwrap_or_default())
        .send()
        .await
        .map_err(aws_err("UpdateRoute"))?;
    Ok(())
}

/// A JWT authorizer's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwt {
    /// Its name.
    pub name: String,
    /// The issuer.
    pub issuer: String,
    /// The audiences.
    pub audience: Vec<String>,
}

/// The API's authorizers, with their ids.
pub async fn authorizers(client: &Client, api: &str) -> Result<Vec<(String, Jwt)>> {
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = client
            .get_authorizers()
            .api_id(api)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(aws_err("GetAuthorizers"))?;
        all.extend(out.items().iter().map(|a| {
            let jwt = a.jwt_configuration();
            (
                a.authorizer_id().unwrap_or_default().to_owned(),
                Jwt {
                    name: a.name().unwrap_or_default().to_owned(),
                    issuer: jwt.and_then(|j| j.issuer()).unwrap_or_default().to_owned(),
                    audience: jwt.map(|j| j.audience().to_vec()).unwrap_or_default(),
                },
            )
        }));
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(all);
        }
    }
}

/// The authorizer `id`'s JWT configuration, if it exists.
pub async fn authorizer(client: &Client, api: &str, id: &str) -> Result<Option<Jwt>> {
    let out = client
        .get_authorizer()
        .api_id(api)
        .authorizer_id(id)
        .send()
        .await
        .map_err(aws_err("GetAuthorizer"));
    Ok(super::found(out)?.map(|a| {
        let jwt = a.jwt_configuration();
        Jwt {
            name: a.name().unwrap_or_default().to_owned(),
            issuer: jwt.and_then(|j| j.issuer()).unwrap_or_default().to_owned(),
            audience: jwt.map(|j| j.audience().to_vec()).unwrap_or_default(),
        }
    }))
}

/// Creates a JWT authorizer reading the `Authorization` header; its id.
pub async fn create_authorizer(client: &Client, api: &str, jwt: &Jwt) -> Result<String> {
    let config = JwtConfiguration::builder()
        .issuer(&jwt.issuer)
        .set_audience(Some(jwt.audience.clone()))
        .build();
    let out = client
        .create_authorizer()
        .api_id(api)
        .name(&jwt.name)
        .authorizer_type(AuthorizerType::Jwt)
        .identity_source("$request.header.Authorization")
        .jwt_configuration(config)
        .send()
        .await
        .map_err(aws_err("CreateAuthorizer"))?;
    Ok(out.authorizer_id().unwrap_or_default().to_owned())
}

/// Sets a JWT authorizer's issuer and audiences.
pub async fn update_authorizer(client: &Client, api: &str, id: &str, jwt: &Jwt) -> Result<()> {
    let config = JwtConfiguration::builder()
        .issuer(&jwt.issuer)
        .set_audience(Some(jwt.audience.clone()))
        .build();
    client
        .update_authorizer()
        .api_id(api)
        .authorizer_id(id)
        .jwt_configuration(config)
        .send()
        .await
        .map_err(aws_err("UpdateAuthorizer"))?;
    Ok(())
}

/// A stage's deployment, throttling and access log.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// Whether every change is deployed at once.
    pub auto_deploy: bool,
    /// Requests a second.
    pub rate_limit: Option<f64>,
    /// Requests at once.
    pub burst_limit: Option<i32>,
    /// Where its access log goes (a log group's ARN) and the line's format.
    pub access_log: Option<(String, String)>,
}

/// The API's `$default` stage, if it has one.
pub async fn stage(client: &Client, api: &str) -> Result<Option<Stage>> {
    let out = client
        .get_stage()
        .api_id(api)
        .stage_name(DEFAULT_STAGE)
        .send()
        .await
        .map_err(aws_err("GetStage"));
    Ok(super::found(out)?.map(|s| Stage {
        auto_deploy: s.auto_deploy().unwrap_or(false),
        rate_limit: s
            .default_route_settings()
            .and_then(|r| r.throttling_rate_limit()),
        burst_limit: s
            .default_route_settings()
            .and_then(|r| r.throttling_burst_limit()),
        access_log: s.access_log_settings().and_then(|a| {
            Some((
                a.destination_arn()?.to_owned(),
                a.format().unwrap_or_default().to_owned(),
            ))
        }),
    }))
}

fn access_log(s: &Stage) -> Option<AccessLogSettings> {
    s.access_log.as_ref().map(|(arn, format)| {
        AccessLogSettings::builder()
            .destination_arn(arn)
            .format(format)
            .build()
    })
}

fn throttling(s: &Stage) -> RouteSettings {
    RouteSettings::builder()
        .set_throttling_rate_limit(s.rate_limit)
        .set_throttling_burst_limit(s.burst_limit)
        .build()
}

/// Creates the `$default` stage.
pub async fn create_stage(
    client: &Client,
    api: &str,
    s: &Stage,
    tags: &[(&str, &str)],
) -> Result<()> {
    client
        .create_stage()
        .api_id(api)
        .stage_name(DEFAULT_STAGE)
        .auto_deploy(s.auto_deploy)
        .default_route_settings(throttling(s))
        .set_access_log_settings(access_log(s))
        .set_tags(Some(super::tag_map(tags)))
        .send()
        .await
        .map_err(aws_err("CreateStage"))?;
    Ok(())
}

/// Sets the `$default` stage's deployment and throttling.
pub async fn update_stage(client: &Client, api: &str, s: &Stage) -> Result<()> {
    client
        .update_stage()
        .api_id(api)
        .stage_name(DEFAULT_STAGE)
        .auto_deploy(s.auto_deploy)
        .default_route_settings(throttling(s))
        .set_access_log_settings(access_log(s))
        .send()
        .await
        .map_err(aws_err("UpdateStage"))?;
    Ok(())
}
