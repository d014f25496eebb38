//! `setup --api`: the shop's HTTP API, applied like the rest of the blueprint (each part read,
//! then made, brought in line, or left), and removed by teardown when it is tagged as setup's.
//! The JWT authorizer is found by its name (`<prefix>-jwt`), so one made by a run that failed
//! later is reused, never made again; the `$default` stage writes a JSON access log line per
//! call to a log group setup makes with a retention.

use aws_sdk_apigatewayv2::Client;

use super::{Apply, Change, Provisioned, pick, removed};
use crate::sdk::apigw::{self, Jwt, RouteSpec, Stage};
use cartctl_core::blueprint::{API_ACCESS_LOG_FORMAT, API_ROUTES, ApiAuth, ApiSpec, TAG_KEY};
use cartctl_core::error::Result;

/// The API's parts, as setup left them, and its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiApplied {
    /// Its id, once it exists.
    pub id: Option<String>,
    /// Its base URL, once it exists.
    pub url: Option<String>,
}

/// How every route is authorized.
#[derive(Debug, Clone, Copy)]
struct RouteAuth<'a> {
    /// `AWS_IAM`, `JWT`, `NONE`.
    authorization: &'a str,
    /// The JWT authorizer, for `JWT`.
    authorizer: Option<&'a str>,
}

fn integration_target(id: &str) -> String {
    format!("integrations/{id}")
}

impl Apply<'_> {
    fn api_arn(&self, id: &str) -> String {
        let bp = self.bp;
        format!("arn:{}:apigateway:{}::/apis/{id}", bp.partition, bp.region)
    }

    /// The API, its authorizer, its three routes and its stage; `record` sees each.
    pub(super) async fn ensure_api(
        &self,
        gw: &Client,
        logs: &aws_sdk_cloudwatchlogs::Client,
        spec: &ApiSpec,
        record: &mut dyn FnMut(Provisioned),
    ) -> Result<ApiApplied> {
        let role = self.ensure_role(&self.bp.api_role()).await?;
        let role_arn = role.arn.clone();
        record(role);
        let bp = self.bp;
        let found = self.retry.run(|_| apigw::find_api(gw, &bp.api)).await?;
        let api = match found {
            Some(api) => {
                let arn = self.api_arn(&api.id);
                record(Provisioned::new("api", &bp.api, arn, Change::Unchanged));
                api
            }
            None if self.dry_run => {
                record(Provisioned::new(
                    "api",
                    &bp.api,
                    String::new(),
                    Change::WouldCreate,
                ));
                for (key, _) in API_ROUTES {
                    record(Provisioned::new(
                        "api-route",
                        key,
                        String::new(),
                        Change::WouldCreate,
                    ));
                }
                return Ok(ApiApplied {
                    id: None,
                    url: None,
                });
            }
            None => {
                let tags = bp.tags();
                let api = self
                    .retry
                    .run(|_| apigw::create_api(gw, &bp.api, &tags))
                    .await?;
                record(Provisioned::new(
                    "api",
                    &bp.api,
                    self.api_arn(&api.id),
                    Change::Created,
                ));
                api
            }
        };
        let routes = self.retry.run(|_| apigw::routes(gw, &api.id)).await?;
        let authorizer = self
            .ensure_authorizer(gw, &api.id, &spec.auth, record)
            .await?;
        let auth = RouteAuth {
            authorization: spec.auth.authorization_type(),
            authorizer: authorizer.as_deref(),
        };
        self.ensure_routes(gw, &api.id, &routes, &role_arn, auth, record)
            .await?;
        let log_group = bp.api_log_group();
        let group = self
            .ensure_log_group(logs, &log_group, spec.log_retention_days)
            .await?;
        // The log group's ARN, as the stage's access log destination takes it.
        let destination = bp.log_group_arn(&log_group);
        record(group);
        record(self.ensure_stage(gw, &api.id, spec, &destination).await?);
        let url = api.endpoint.clone().unwrap_or_else(|| bp.api_url(&api.id));
        Ok(ApiApplied {
            id: Some(api.id),
            url: Some(url),
        })
    }

    /// The JWT authorizer, when the API takes JWTs: found by its name (`<prefix>-jwt`),
    /// made, or brought in line; its id.
    async fn ensure_authorizer(
        &self,
        gw: &Client,
        api: &str,
        auth: &ApiAuth,
        record: &mut dyn FnMut(Provisioned),
    ) -> Result<Option<String>> {
        let ApiAuth::Jwt { issuer, audience } = auth else {
            return Ok(None);
        };
        let want = Jwt {
            name: format!("{}-jwt", self.bp.prefix),
            issuer: issuer.clone(),
            audience: audience.clone(),
        };
        let found = self
            .retry
            .run(|_| apigw::authorizers(gw, api))
            .await?
            .into_iter()
            .find(|(_, a)| a.name == want.name);
        let differs = found
            .as_ref()
            .is_some_and(|(_, e)| e.issuer != want.issuer || e.audience != want.audience);
        let change = pick(found.is_some(), differs, self.dry_run);
        let mut id = found.map(|(id, _)| id);
        if !self.dry_run {
            match &id {
                None => {
                    id = Some(
                        self.retry
                            .run(|_| apigw::create_authorizer(gw, api, &want))
                            .await?,
                    )
                }
                Some(found) if differs => {
                    self.retry
                        .run(|_| apigw::update_authorizer(gw, api, found, &want))
                        .await?;
                }
                Some(_) => {}
            }
        }
        let arn = format!(
            "{}/authorizers/{}",
            self.api_arn(api),
            id.as_deref().unwrap_or("")
        );
        record(Provisioned::new("api-authorizer", &want.name, arn, change));
        Ok(id)
    }

    /// Each route with its EventBridge-PutEvents integration.
    async fn ensure_routes(
        &self,
        gw: &Client,
        api: &str,
        routes: &[apigw::Route],
        role_arn: &str,
        auth: RouteAuth<'_>,
        record: &mut dyn FnMut(Provisioned),
    ) -> Result<()> {
        let integrations = self.retry.run(|_| apigw::integrations(gw, api)).await?;
        for (key, kind) in API_ROUTES {
            let params = self.bp.integration_parameters(kind);
            let route = routes.iter().find(|r| r.key == key);
            let integration = route
                .and_then(|r| r.target.as_deref())
                .and_then(|t| integrations.iter().find(|i| integration_target(&i.id) == t));
            let (integration_id, integration_differs) = self
                .ensure_integration(gw, api, role_arn, &params, integration)
                .await?;
            let target = integration_id
                .as_deref()
                .map(integration_target)
                .unwrap_or_default();
            let want = RouteSpec {
                key,
                target: &target,
                authorization: auth.authorization,
                authorizer: auth.authorizer,
            };
            let route_differs = route.is_some_and(|r| {
                r.target.as_deref() != Some(target.as_str())
                    || r.authorization != want.authorization
                    || r.authorizer.as_deref() != auth.authorizer
            });
            let mut route_id = route.map(|r| r.id.clone());
            if !self.dry_run {
                match route {
                    None => {
                        route_id = Some(
                            self.retry
                                .run(|_| apigw::create_route(gw, api, &want))
                                .await?,
                        );
                    }
                    Some(r) if route_differs => {
                        self.retry
                            .run(|_| apigw::update_route(gw, api, &r.id, &want))
                            .await?;
                    }
                    Some(_) => {}
                }
            }
            let differs = integration_differs || route_differs || integration.is_none();
            let change = pick(route.is_some(), differs, self.dry_run);
            let arn = format!(
                "{}/routes/{}",
                self.api_arn(api),
                route_id.unwrap_or_default()
            );
            record(Provisioned::new("api-route", key, arn, change));
        }
        Ok(())
    }

    /// A route's integration: made, or brought in line with `params` and the role; its id (none
    /// on a dry run that would make it) and whether it differed.
    async fn ensure_integration(
        &self,
        gw: &Client,
        api: &str,
        role_arn: &str,
        params: &std::collections::BTreeMap<String, String>,
        existing: Option<&apigw::Integration>,
    ) -> Result<(Option<String>, bool)> {
        let differs = existing.is_some_and(|i| {
            i.subtype.as_deref() != Some(apigw::PUT_EVENTS)
                || i.credentials.as_deref() != Some(role_arn)
                || i.parameters != *params
        });
        let id = existing.map(|i| i.id.clone());
        if self.dry_run {
            return Ok((id, differs));
        }
        match id {
            None => {
                let made = self
                    .retry
                    .run(|_| apigw::create_integration(gw, api, role_arn, params))
                    .await?;
                Ok((Some(made), differs))
            }
            Some(id) => {
                if differs {
                    self.retry
                        .run(|_| apigw::update_integration(gw, api, &id, role_arn, params))
                        .await?;
                }
                Ok((Some(id), differs))
            }
        }
    }

    /// The `$default` stage: deployed on every change, throttled as asked, its access log to
    /// `destination` (a log group's ARN).
    async fn ensure_stage(
        &self,
        gw: &Client,
        api: &str,
        spec: &ApiSpec,
        destination: &str,
    ) -> Result<Provisioned> {
        let want = Stage {
            auto_deploy: true,
            rate_limit: Some(spec.rate_limit),
            burst_limit: Some(spec.burst_limit),
            access_log: Some((destination.to_owned(), API_ACCESS_LOG_FORMAT.to_owned())),
        };
        let have = self.retry.run(|_| apigw::stage(gw, api)).await?;
        let differs = have.as_ref().is_some_and(|h| *h != want);
        let change = pick(have.is_some(), differs, self.dry_run);
        if !self.dry_run {
            if have.is_none() {
                let tags = self.bp.tags();
                self.retry
                    .run(|_| apigw::create_stage(gw, api, &want, &tags))
                    .await?;
            } else if differs {
                self.retry
                    .run(|_| apigw::update_stage(gw, api, &want))
                    .await?;
            }
        }
        let arn = format!("{}/stages/{}", self.api_arn(api), apigw::DEFAULT_STAGE);
        Ok(Provisioned::new(
            "api-stage",
            apigw::DEFAULT_STAGE,
            arn,
            change,
        ))
    }

    /// Removes the API (with its routes, integrations, authorizer and stage) when it is
    /// tagged as setup's, its access log group (unless `keep_logs`), then its role.
    pub(super) async fn remove_api(
        &self,
        gw: &Client,
        logs: &aws_sdk_cloudwatchlogs::Client,
        keep_logs: bool,
        record: &mut dyn FnMut(Provisioned),
    ) -> Result<()> {
        let bp = self.bp;
        match self.retry.run(|_| apigw::find_api(gw, &bp.api)).await? {
            None => record(removed("api", &bp.api, String::new(), None)),
            Some(api) => {
                let ours = api.tags.get(TAG_KEY) == Some(&bp.prefix);
                if ours {
                    self.retry.run(|_| apigw::delete_api(gw, &api.id)).await?;
                }
                record(removed("api", &bp.api, self.api_arn(&api.id), Some(ours)));
            }
        }
        record(
            self.remove_log_group(logs, &bp.api_log_group(), keep_logs)
                .await?,
        );
        record(self.remove_role(&bp.api_role).await?);
        Ok(())
    }
}
