/*
 * GENERATED from openapi.yaml by scripts/generate-openapi.js: do not edit by hand, edit the YAML and
 * run `yarn generate:openapi` in plugins/datadog-ecs-common.
 */

/**
 * The OpenAPI 3.1 document of the datadog-ecs REST API (see openapi.yaml).
 *
 * @public
 */
export const spec = {
  "openapi": "3.1.0",
  "info": {
    "title": "datadog-ecs",
    "version": "1.0.0",
    "license": {
      "name": "Apache-2.0"
    },
    "description": "Datadog Agent coverage of Amazon ECS clusters, and rollouts of the Agent daemon. Every route but /health authenticates the caller and checks a permission (datadog-ecs.read; a rollout or rollback also datadog-ecs.rollout on the entity or datadog-ecs.cluster.rollout). Errors are Backstage's error bodies, `{ error: { name, message, …fields }, request, response }`; the fields a client may rely on are documented on each error response (activeRolloutId, rule, retryAfterSeconds, nextAllowedAt), never in the message's wording."
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "paths": {
    "/health": {
      "get": {
        "operationId": "getHealth",
        "description": "Liveness. No authentication.",
        "responses": {
          "200": {
            "description": "The plugin answers.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/HealthResponse"
                }
              }
            }
          }
        }
      }
    },
    "/clusters": {
      "get": {
        "operationId": "getClusters",
        "description": "Cluster summaries of the latest snapshot, the configured locations with their errors, the refresh status and fleet totals. Filters combine with AND.",
        "parameters": [
          {
            "name": "account",
            "in": "query",
            "allowReserved": true,
            "description": "Only this AWS account.",
            "schema": {
              "$ref": "#/components/schemas/AccountId"
            }
          },
          {
            "name": "region",
            "in": "query",
            "allowReserved": true,
            "description": "Only this region.",
            "schema": {
              "$ref": "#/components/schemas/Region"
            }
          },
          {
            "name": "state",
            "in": "query",
            "allowReserved": true,
            "description": "Only clusters whose worst instance state is one of these (repeat the parameter).",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "$ref": "#/components/schemas/CoverageState"
              }
            }
          },
          {
            "name": "feature",
            "in": "query",
            "allowReserved": true,
            "description": "`<feature>:<state>`, e.g. `apm:off`: clusters whose Agent has this feature in this state. The feature is an id of the Agent feature catalog.",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z]+:(on|off|misconfigured|not-applicable)$",
              "x-error-message": "must be <feature>:<state>, e.g. apm:off"
            }
          },
          {
            "name": "q",
            "in": "query",
            "allowReserved": true,
            "description": "Case-insensitive substring of the cluster name, account name or id, or region.",
            "allowEmptyValue": true,
            "schema": {
              "$ref": "#/components/schemas/TextFilter"
            }
          },
          {
            "name": "owner",
            "in": "query",
            "allowReserved": true,
            "description": "Only clusters owned by one of these catalog entity refs, each in full (`group:default/payments`, compared case-insensitively): repeat the parameter or separate refs with commas, at most 100 refs in all. A cluster without an owner never matches. The portal's \"My clusters\" sends the signed-in user's ownership refs.",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "minItems": 1,
              "maxItems": 100,
              "items": {
                "type": "string",
                "minLength": 1,
                "maxLength": 2000
              }
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The clusters.",
            "headers": {
              "ETag": {
                "description": "A weak validator of this body (it changes with the snapshot and the redaction).",
                "schema": {
                  "type": "string"
                }
              },
              "Cache-Control": {
                "description": "`private, no-cache`: a browser may keep the body and revalidate it.",
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ClustersResponse"
                }
              }
            }
          },
          "304": {
            "$ref": "#/components/responses/NotModified"
          },
          "400": {
            "$ref": "#/components/responses/InvalidRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/clusters/{accountId}/{region}/{clusterName}": {
      "get": {
        "operationId": "getCluster",
        "description": "One cluster in full, with its coverage history.",
        "parameters": [
          {
            "$ref": "#/components/parameters/accountId"
          },
          {
            "$ref": "#/components/parameters/region"
          },
          {
            "$ref": "#/components/parameters/clusterName"
          }
        ],
        "responses": {
          "200": {
            "description": "The cluster.",
            "headers": {
              "ETag": {
                "description": "A weak validator of this body (it changes with the snapshot and the redaction).",
                "schema": {
                  "type": "string"
                }
              },
              "Cache-Control": {
                "description": "`private, no-cache`: a browser may keep the body and revalidate it.",
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ClusterDetails"
                }
              }
            }
          },
          "304": {
            "$ref": "#/components/responses/NotModified"
          },
          "400": {
            "$ref": "#/components/responses/InvalidRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    },
    "/entity/{namespace}/{kind}/{name}": {
      "get": {
        "operationId": "getEntityCoverage",
        "description": "The coverage of a catalog entity annotated with aws.amazon.com/amazon-ecs-service-arn or aws.amazon.com/amazon-ecs-cluster-arn. The entity is read from the catalog on behalf of the caller; the ARNs never come from the request. Each part follows the catalog's rules for entity refs.",
        "parameters": [
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "maxLength": 63
            }
          },
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "maxLength": 63
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "maxLength": 63
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The entity's clusters and services.",
            "headers": {
              "ETag": {
                "description": "A weak validator of this body (it changes with the snapshot and the redaction).",
                "schema": {
                  "type": "string"
                }
              },
              "Cache-Control": {
                "description": "`private, no-cache`: a browser may keep the body and revalidate it.",
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EntityCoverageResponse"
                }
              }
            }
          },
          "304": {
            "$ref": "#/components/responses/NotModified"
          },
          "400": {
            "$ref": "#/components/responses/InvalidRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    },
    "/services/lookup": {
      "post": {
        "operationId": "lookupServices",
        "description": "Whether the inventory confirms that each ECS service ARN exists, and on which cluster: how the catalog module decides which services depend on which cluster resource. From the snapshot: no AWS call.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ServiceLookupRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "One answer per ARN, in the request's order.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ServiceLookupResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/InvalidRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          }
        }
      }
    },
    "/refresh": {
      "post": {
        "operationId": "refresh",
        "description": "Starts a refresh of the inventory now; rate-limited (refresh.minIntervalSeconds).",
        "responses": {
          "202": {
            "description": "The refresh started (or one was running already).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RefreshStatus"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/InvalidRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "429": {
            "description": "A refresh was requested too recently. The `Retry-After` header and `error.retryAfterSeconds` say how many seconds to wait, `error.nextAllowedAt` when.",
            "headers": {
              "Retry-After": {
                "description": "Seconds to wait.",
                "schema": {
                  "type": "integer"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RateLimitedErrorBody"
                }
              }
            }
          }
        }
      }
    },
    "/clusters/{accountId}/{region}/{clusterName}/rollouts/preview": {
      "post": {
        "operationId": "previewRollout",
        "description": "What a rollout of the Agent daemon would do, computed from the inventory snapshot: no AWS call, no change.",
        "parameters": [
          {
            "$ref": "#/components/parameters/accountId"
          },
          {
            "$ref": "#/components/parameters/region"
          },
          {
            "$ref": "#/components/parameters/clusterName"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RolloutRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The preview.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RolloutPreview"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/InvalidRolloutRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          }
        }
      }
    },
    "/clusters/{accountId}/{region}/{clusterName}/rollouts": {
      "get": {
        "operationId": "listRollouts",
        "description": "The cluster's rollouts, newest first, and the active one's id.",
        "parameters": [
          {
            "$ref": "#/components/parameters/accountId"
          },
          {
            "$ref": "#/components/parameters/region"
          },
          {
            "$ref": "#/components/parameters/clusterName"
          }
        ],
        "responses": {
          "200": {
            "description": "The rollouts.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RolloutListResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/InvalidRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      },
      "post": {
        "operationId": "startRollout",
        "description": "Starts a rollout: permission, the switch, idempotency (clientToken), the cluster's lock and the record, then the ECS write calls; the rollout is followed in the background.",
        "parameters": [
          {
            "$ref": "#/components/parameters/accountId"
          },
          {
            "$ref": "#/components/parameters/region"
          },
          {
            "$ref": "#/components/parameters/clusterName"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/StartRolloutRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The rollout this clientToken started already.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Rollout"
                }
              }
            }
          },
          "202": {
            "description": "The rollout started (its status may be `failed` when an ECS call failed).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Rollout"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/InvalidRolloutRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/RolloutConflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          }
        }
      }
    },
    "/clusters/{accountId}/{region}/{clusterName}/rollouts/{id}/rollback": {
      "post": {
        "operationId": "rollback",
        "description": "Rolls a finished rollout back to the revision it replaced, as a new rollout of kind `rollback`.",
        "parameters": [
          {
            "$ref": "#/components/parameters/accountId"
          },
          {
            "$ref": "#/components/parameters/region"
          },
          {
            "$ref": "#/components/parameters/clusterName"
          },
          {
            "$ref": "#/components/parameters/rolloutId"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/EmptyBody"
              }
            }
          }
        },
        "responses": {
          "202": {
            "description": "The rollback started.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Rollout"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/InvalidRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/RolloutConflict"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          }
        }
      }
    },
    "/rollouts/{id}/cancel": {
      "post": {
        "operationId": "cancelRollout",
        "description": "Cancels a pending or in-progress rollout: stops following it and frees the cluster. With `rollback: true` it first asks ECS to stop the deployment and roll the service back (StopServiceDeployment, stop type ROLLBACK); a refusal by ECS is a 409 and changes nothing. Needs the permission a rollback needs (datadog-ecs.cluster.rollout, or datadog-ecs.rollout on the entity it was started from).",
        "parameters": [
          {
            "$ref": "#/components/parameters/rolloutId"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CancelRolloutRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The cancelled rollout.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Rollout"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/InvalidRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/RolloutConflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          }
        }
      }
    },
    "/rollouts/{id}": {
      "get": {
        "operationId": "getRollout",
        "description": "One rollout with its per-instance progress and events; poll it while it runs.",
        "parameters": [
          {
            "$ref": "#/components/parameters/rolloutId"
          }
        ],
        "responses": {
          "200": {
            "description": "The rollout.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Rollout"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/InvalidRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    }
  },
  "components": {
    "parameters": {
      "accountId": {
        "name": "accountId",
        "in": "path",
        "required": true,
        "schema": {
          "$ref": "#/components/schemas/AccountId"
        }
      },
      "region": {
        "name": "region",
        "in": "path",
        "required": true,
        "schema": {
          "$ref": "#/components/schemas/Region"
        }
      },
      "clusterName": {
        "name": "clusterName",
        "in": "path",
        "required": true,
        "schema": {
          "$ref": "#/components/schemas/ClusterName"
        }
      },
      "rolloutId": {
        "name": "id",
        "in": "path",
        "required": true,
        "schema": {
          "$ref": "#/components/schemas/RolloutId"
        }
      }
    },
    "responses": {
      "NotModified": {
        "description": "The request's `If-None-Match` names the current body's `ETag`: nothing changed since (no body). Authentication and the permission check come first, as for a 200.",
        "headers": {
          "ETag": {
            "description": "The same validator.",
            "schema": {
              "type": "string"
            }
          }
        }
      },
      "InvalidRequest": {
        "description": "A parameter or body field is invalid; the message names it.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorBody"
            }
          }
        }
      },
      "InvalidRolloutRequest": {
        "description": "A parameter or body field is invalid (the message names it), or the options break a rule of the guide: then `error.rule` names the rule (e.g. npm-linux-only).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/InvalidRequestErrorBody"
            }
          }
        }
      },
      "Unauthorized": {
        "description": "No valid credentials.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorBody"
            }
          }
        }
      },
      "Forbidden": {
        "description": "A permission refused the request, or rollouts are switched off.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorBody"
            }
          }
        }
      },
      "NotFound": {
        "description": "No such cluster, location, entity or rollout.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorBody"
            }
          }
        }
      },
      "RolloutConflict": {
        "description": "The cluster has an active rollout (`error.activeRolloutId` is its id, when known), a service of the daemon's name is DRAINING, the rollout cannot be rolled back, or it finished already (`error.reason` says which).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/RolloutConflictErrorBody"
            }
          }
        }
      },
      "PayloadTooLarge": {
        "description": "The body is larger than 100 kB.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorBody"
            }
          }
        }
      },
      "UnsupportedMediaType": {
        "description": "The body is not UTF-8 JSON sent with Content-Type application/json.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorBody"
            }
          }
        }
      }
    },
    "schemas": {
      "AccountId": {
        "type": "string",
        "description": "A 12-digit AWS account id.",
        "pattern": "^\\d{12}$",
        "x-error-message": "must be a 12-digit AWS account id"
      },
      "Region": {
        "type": "string",
        "description": "An AWS region, e.g. eu-west-1.",
        "pattern": "^[a-z]{2}(-[a-z]+)+-\\d+$",
        "x-error-message": "must be an AWS region like eu-west-1"
      },
      "ClusterName": {
        "type": "string",
        "description": "An ECS name (cluster, service, task-definition family).",
        "pattern": "^[a-zA-Z0-9_-]{1,255}$",
        "x-error-message": "must be an ECS cluster name (letters, digits, - and _)"
      },
      "RolloutId": {
        "type": "string",
        "description": "A rollout id, a lower-case UUID.",
        "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        "x-error-message": "must be a rollout id (a UUID)"
      },
      "ImageTag": {
        "type": "string",
        "description": "A container image tag, e.g. 7.60.0 (no registry, no digest).",
        "pattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",
        "x-error-message": "must be a valid image tag"
      },
      "DatadogTag": {
        "type": "string",
        "description": "A DD_TAGS entry, key:value without whitespace.",
        "pattern": "^[^\\s:]+:\\S+$",
        "x-error-message": "must be key:value without spaces"
      },
      "DatadogTags": {
        "type": "array",
        "description": "DD_TAGS entries.",
        "maxItems": 50,
        "x-error-message": "at most 50 tags",
        "items": {
          "$ref": "#/components/schemas/DatadogTag"
        }
      },
      "EntityRef": {
        "type": "string",
        "description": "A catalog entity ref such as component:default/payments-api (kind and namespace may be left out: component, default). Its parts follow the catalog's rules.",
        "minLength": 1,
        "maxLength": 512,
        "x-error-message": "must be an entity ref like component:default/name"
      },
      "ClientToken": {
        "type": "string",
        "description": "Idempotency key: the same token on the same cluster returns the rollout it started (200) instead of starting another one.",
        "pattern": "^[\\x21-\\x7e]{1,64}$",
        "x-error-message": "must be 1 to 64 printable ASCII characters without spaces"
      },
      "DrainPercent": {
        "type": "number",
        "description": "The percentage of a managed daemon's container instances ECS drains and replaces at a time during a daemon deployment (DaemonDeploymentConfiguration.drainPercent, 0.0 to 100.0; default 25).",
        "minimum": 0,
        "maximum": 100,
        "x-error-message": "must be a percentage from 0 to 100"
      },
      "BakeTimeInMinutes": {
        "type": "integer",
        "description": "Minutes ECS waits after each successful step of a daemon deployment before the next (DaemonDeploymentConfiguration.bakeTimeInMinutes, at most 1440; default 0, ECS's).",
        "minimum": 0,
        "maximum": 1440,
        "x-error-message": "must be a whole number of minutes from 0 to 1440"
      },
      "TextFilter": {
        "type": "string",
        "maxLength": 200,
        "x-error-message": "must be at most 200 characters"
      },
      "DateTime": {
        "type": "string",
        "description": "An ISO 8601 date-time."
      },
      "SdkDateTime": {
        "description": "An ISO 8601 date-time string. (Left untyped: -common's EcsTaskDefinition also types the AWS SDK's objects, where it is a Date.)"
      },
      "CoverageState": {
        "type": "string",
        "description": "Whether the Agent daemon runs on a container instance; a cluster's state is the worst of its instances'.",
        "enum": [
          "covered",
          "pending",
          "unhealthy",
          "stopped",
          "missing",
          "not-applicable"
        ]
      },
      "CoverageReasonCode": {
        "type": "string",
        "enum": [
          "insufficient-memory",
          "insufficient-cpu",
          "port-in-use",
          "placement-failed",
          "agent-disconnected",
          "draining",
          "os-mismatch",
          "no-agent-daemon",
          "task-stopped",
          "task-starting",
          "health-check-failing",
          "outdated-revision",
          "health-unknown",
          "health-not-checked",
          "fargate",
          "no-managed-daemon",
          "without-daemon",
          "instance-replaced"
        ]
      },
      "AgentFeatureId": {
        "type": "string",
        "description": "An id of the Agent feature catalog (core, apm, dogstatsd, logs, …)."
      },
      "FeatureState": {
        "type": "string",
        "enum": [
          "on",
          "off",
          "misconfigured",
          "not-applicable"
        ]
      },
      "FindingSeverity": {
        "type": "string",
        "enum": [
          "critical",
          "warning",
          "info"
        ]
      },
      "FeatureToggles": {
        "type": "object",
        "description": "Agent feature toggles, by the ids of the feature registry (apm, dogstatsd, logs, process, npm, resourceTags, healthCheck, fipsProxy, apmSocket, …); an unknown id is refused. The backend completes this schema with the registry's ids (see its GET /openapi.json), so that adding a feature needs no change here.",
        "additionalProperties": {
          "type": "boolean"
        }
      },
      "Variant": {
        "type": "string",
        "description": "linux (Amazon Linux 2 / 2023 and other modern Linux), amazon-linux-1 (its cgroup path differs) or windows.",
        "enum": [
          "linux",
          "amazon-linux-1",
          "windows"
        ]
      },
      "DatadogSite": {
        "type": "string",
        "description": "DD_SITE.",
        "enum": [
          "datadoghq.com",
          "us3.datadoghq.com",
          "us5.datadoghq.com",
          "datadoghq.eu",
          "ap1.datadoghq.com",
          "ap2.datadoghq.com",
          "ddog-gov.com"
        ]
      },
      "StringMap": {
        "type": "object",
        "additionalProperties": {
          "type": "string"
        }
      },
      "HealthResponse": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "type": "string",
            "const": "ok"
          }
        }
      },
      "ClusterRef": {
        "type": "object",
        "description": "The identity of a cluster in the API.",
        "additionalProperties": false,
        "required": [
          "accountId",
          "region",
          "clusterName"
        ],
        "properties": {
          "accountId": {
            "$ref": "#/components/schemas/AccountId"
          },
          "region": {
            "$ref": "#/components/schemas/Region"
          },
          "clusterName": {
            "$ref": "#/components/schemas/ClusterName"
          }
        }
      },
      "CoverageReason": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "code",
          "message"
        ],
        "properties": {
          "code": {
            "$ref": "#/components/schemas/CoverageReasonCode"
          },
          "message": {
            "type": "string",
            "description": "Plain English, for people."
          },
          "evidence": {
            "type": "string",
            "description": "The ECS text it was read from (a service event, a stoppedReason), verbatim."
          }
        }
      },
      "AgentTaskSummary": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "taskArn",
          "lastStatus",
          "desiredStatus",
          "taskDefinitionArn",
          "revision",
          "upToDate"
        ],
        "properties": {
          "taskArn": {
            "type": "string"
          },
          "lastStatus": {
            "type": "string"
          },
          "desiredStatus": {
            "type": "string"
          },
          "healthStatus": {
            "type": "string"
          },
          "taskDefinitionArn": {
            "type": "string"
          },
          "revision": {
            "type": "string",
            "description": "family:revision."
          },
          "serviceName": {
            "type": "string"
          },
          "startedAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "stoppedAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "stoppedReason": {
            "type": "string"
          },
          "exitCode": {
            "type": "integer",
            "description": "The Agent container's exit code, for stopped tasks."
          },
          "upToDate": {
            "type": "boolean",
            "description": "Runs the Agent service's current (PRIMARY) revision."
          }
        }
      },
      "InstanceCoverage": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "containerInstanceArn",
          "instanceId",
          "os",
          "external",
          "status",
          "agentConnected",
          "state"
        ],
        "properties": {
          "containerInstanceArn": {
            "type": "string"
          },
          "instanceId": {
            "type": "string",
            "description": "The EC2 instance id, or the mi- id of an ECS Anywhere instance."
          },
          "instanceType": {
            "type": "string"
          },
          "availabilityZone": {
            "type": "string"
          },
          "os": {
            "type": "string",
            "enum": [
              "linux",
              "windows",
              "unknown"
            ]
          },
          "osFamily": {
            "type": "string",
            "description": "ecs.os-family, e.g. LINUX or WINDOWS_SERVER_2022_CORE."
          },
          "amazonLinuxGeneration": {
            "type": "integer",
            "enum": [
              1,
              2,
              2023
            ],
            "description": "Amazon Linux 1, 2 or 2023, when known (see amazonLinuxGenerationSource)."
          },
          "amazonLinuxGenerationSource": {
            "type": "string",
            "enum": [
              "ami",
              "attribute",
              "unknown"
            ],
            "description": "Where the generation comes from: the AMI's name (ami; no generation for an AMI that is not Amazon Linux, e.g. Bottlerocket), the datadog.amazon-linux-generation attribute, or unknown (custom AMI, AMI not readable). Absent where no generation applies (Windows, ECS Anywhere) and in snapshots stored before it was recorded."
          },
          "amiId": {
            "type": "string",
            "description": "The instance's AMI (ecs.ami-id)."
          },
          "amiName": {
            "type": "string",
            "description": "The AMI's name, when EC2 DescribeImages could read it."
          },
          "external": {
            "type": "boolean"
          },
          "status": {
            "type": "string",
            "description": "ACTIVE or DRAINING."
          },
          "agentConnected": {
            "type": "boolean"
          },
          "capacity": {
            "$ref": "#/components/schemas/InstanceCapacity"
          },
          "state": {
            "$ref": "#/components/schemas/CoverageState"
          },
          "reason": {
            "$ref": "#/components/schemas/CoverageReason"
          },
          "agentTask": {
            "$ref": "#/components/schemas/AgentTaskSummary"
          }
        }
      },
      "CapacityKind": {
        "type": "string",
        "description": "The capacity a container instance belongs to, which decides how the Agent gets there: ec2-asg (EC2, through an Auto Scaling group capacity provider or registered by itself: a DAEMON service), managed-instances (an ECS Managed Instances capacity provider: only a managed daemon), external (ECS Anywhere: a DAEMON service), unknown.",
        "enum": [
          "ec2-asg",
          "managed-instances",
          "external",
          "unknown"
        ]
      },
      "InstanceCapacity": {
        "type": "object",
        "description": "The capacity a container instance belongs to.",
        "additionalProperties": false,
        "required": [
          "kind"
        ],
        "properties": {
          "kind": {
            "$ref": "#/components/schemas/CapacityKind"
          },
          "capacityProviderName": {
            "type": "string",
            "description": "The container instance's capacityProviderName, when it has one."
          }
        }
      },
      "AgentServiceSummary": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "serviceArn",
          "serviceName",
          "schedulingStrategy",
          "status",
          "desiredCount",
          "runningCount",
          "pendingCount",
          "taskDefinitionArn"
        ],
        "properties": {
          "serviceArn": {
            "type": "string"
          },
          "serviceName": {
            "type": "string"
          },
          "schedulingStrategy": {
            "type": "string",
            "description": "DAEMON or REPLICA."
          },
          "launchType": {
            "type": "string"
          },
          "status": {
            "type": "string"
          },
          "desiredCount": {
            "type": "integer"
          },
          "runningCount": {
            "type": "integer"
          },
          "pendingCount": {
            "type": "integer"
          },
          "taskDefinitionArn": {
            "type": "string",
            "description": "The PRIMARY deployment's task definition."
          },
          "rolloutState": {
            "type": "string",
            "description": "The PRIMARY deployment's rollout state, when ECS reports one."
          }
        }
      },
      "AgentScheduling": {
        "type": "object",
        "description": "How the Agent's tasks get onto the cluster's instances.",
        "additionalProperties": false,
        "required": [
          "mode",
          "daemonServices",
          "otherServices",
          "standaloneTasks",
          "startedBy"
        ],
        "properties": {
          "mode": {
            "type": "string",
            "description": "managed-daemon when only managed daemons (ECS Managed Instances) run the Agent; mixed when they and services or standalone tasks do.",
            "enum": [
              "daemon-service",
              "managed-daemon",
              "other-service",
              "standalone-tasks",
              "mixed",
              "none"
            ]
          },
          "daemonServices": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "managedDaemons": {
            "type": "array",
            "description": "Names of the managed daemons that run the Agent (absent in older snapshots).",
            "items": {
              "type": "string"
            }
          },
          "otherServices": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "standaloneTasks": {
            "type": "integer",
            "description": "Agent tasks running or starting that no service started."
          },
          "startedBy": {
            "type": "array",
            "description": "The distinct startedBy of those tasks, at most 10.",
            "maxItems": 10,
            "items": {
              "type": "string"
            }
          }
        }
      },
      "AgentEvent": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "createdAt",
          "message",
          "serviceName",
          "keywords"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "createdAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "message": {
            "type": "string"
          },
          "serviceName": {
            "type": "string"
          },
          "keywords": {
            "type": "array",
            "description": "The guide's keywords the message matched.",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "CoverageCounts": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "instances",
          "desired",
          "running",
          "healthy",
          "upToDate",
          "covered",
          "pending",
          "unhealthy",
          "stopped",
          "missing"
        ],
        "properties": {
          "instances": {
            "type": "integer",
            "description": "Container instances that should run the Agent."
          },
          "desired": {
            "type": "integer",
            "description": "Agent tasks the daemon service(s) want."
          },
          "running": {
            "type": "integer"
          },
          "healthy": {
            "type": "integer"
          },
          "upToDate": {
            "type": "integer",
            "description": "Instances whose Agent task runs the current revision."
          },
          "covered": {
            "type": "integer"
          },
          "pending": {
            "type": "integer"
          },
          "unhealthy": {
            "type": "integer"
          },
          "stopped": {
            "type": "integer"
          },
          "missing": {
            "type": "integer"
          }
        }
      },
      "InventoryError": {
        "type": "object",
        "description": "An error kept as data: a location or cluster whose calls fail still shows, with its error.",
        "additionalProperties": false,
        "required": [
          "kind",
          "message",
          "at"
        ],
        "properties": {
          "kind": {
            "type": "string",
            "enum": [
              "credentials",
              "access-denied",
              "throttled",
              "not-found",
              "network",
              "invalid-config",
              "unknown"
            ]
          },
          "name": {
            "type": "string",
            "description": "The AWS error name, e.g. UnrecognizedClientException."
          },
          "message": {
            "type": "string"
          },
          "at": {
            "$ref": "#/components/schemas/DateTime"
          },
          "failures": {
            "type": "array",
            "description": "The entries of a Describe call's failures[] behind this error (e.g. a configured cluster that ECS reports MISSING).",
            "items": {
              "$ref": "#/components/schemas/EcsFailure"
            }
          }
        }
      },
      "EcsFailure": {
        "type": "object",
        "description": "One entry of an ECS Describe call's failures[].",
        "additionalProperties": false,
        "required": [
          "reason"
        ],
        "properties": {
          "arn": {
            "type": "string",
            "description": "The ARN or name ECS could not describe."
          },
          "reason": {
            "type": "string",
            "description": "ECS's reason, e.g. MISSING."
          },
          "detail": {
            "type": "string"
          }
        }
      },
      "FeatureChip": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "title",
          "state",
          "findingCount"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/AgentFeatureId"
          },
          "title": {
            "type": "string"
          },
          "state": {
            "$ref": "#/components/schemas/FeatureState"
          },
          "topFinding": {
            "type": "string",
            "description": "The most severe finding's title."
          },
          "findingCount": {
            "type": "integer"
          }
        }
      },
      "Finding": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "severity",
          "title",
          "explanation",
          "remedy"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "<feature>.<problem>, e.g. dogstatsd.port-without-non-local-traffic."
          },
          "severity": {
            "$ref": "#/components/schemas/FindingSeverity"
          },
          "feature": {
            "$ref": "#/components/schemas/AgentFeatureId"
          },
          "title": {
            "type": "string"
          },
          "explanation": {
            "type": "string"
          },
          "remedy": {
            "type": "string",
            "description": "The guide's remedy."
          }
        }
      },
      "FeatureResult": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "title",
          "state",
          "summary",
          "findings"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/AgentFeatureId"
          },
          "title": {
            "type": "string"
          },
          "state": {
            "$ref": "#/components/schemas/FeatureState"
          },
          "summary": {
            "type": "string"
          },
          "findings": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Finding"
            }
          },
          "details": {
            "$ref": "#/components/schemas/StringMap"
          }
        }
      },
      "FindingCounts": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "critical",
          "warning",
          "info"
        ],
        "properties": {
          "critical": {
            "type": "integer"
          },
          "warning": {
            "type": "integer"
          },
          "info": {
            "type": "integer"
          }
        }
      },
      "ClusterSummary": {
        "type": "object",
        "description": "One cluster card.",
        "additionalProperties": false,
        "required": [
          "accountId",
          "region",
          "clusterName",
          "clusterArn",
          "state",
          "counts",
          "coveragePercent",
          "fargateOnly",
          "agentServices",
          "agentRevisions",
          "outdatedInstances",
          "features",
          "findingCounts",
          "refreshedAt"
        ],
        "properties": {
          "accountId": {
            "$ref": "#/components/schemas/AccountId"
          },
          "region": {
            "$ref": "#/components/schemas/Region"
          },
          "clusterName": {
            "$ref": "#/components/schemas/ClusterName"
          },
          "clusterArn": {
            "type": "string"
          },
          "locationName": {
            "type": "string",
            "description": "The location's display name from config."
          },
          "owner": {
            "type": "string",
            "description": "The owner's entity ref, from the cluster's owner tag, else the configured default."
          },
          "ownerSource": {
            "type": "string",
            "enum": [
              "tag",
              "config"
            ]
          },
          "system": {
            "type": "string",
            "description": "The system's entity ref, from the cluster's system tag."
          },
          "status": {
            "type": "string"
          },
          "state": {
            "$ref": "#/components/schemas/CoverageState"
          },
          "counts": {
            "$ref": "#/components/schemas/CoverageCounts"
          },
          "coveragePercent": {
            "type": [
              "integer",
              "null"
            ],
            "description": "covered / instances × 100, rounded down; null without instances."
          },
          "fargateOnly": {
            "type": "boolean"
          },
          "amazonLinuxGenerationUnknown": {
            "type": "integer",
            "minimum": 0,
            "description": "Linux EC2 instances whose Amazon Linux generation is unknown (custom AMI, AMI not readable): a rollout assumes Amazon Linux 2 / 2023 for them unless told otherwise."
          },
          "agentServices": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AgentServiceSummary"
            }
          },
          "agentRevisions": {
            "type": "array",
            "description": "family:revision of every Agent task running.",
            "items": {
              "type": "string"
            }
          },
          "currentRevision": {
            "type": "string",
            "description": "The Agent daemon's current (PRIMARY) revision, when there is one daemon."
          },
          "agentScheduling": {
            "$ref": "#/components/schemas/AgentScheduling"
          },
          "managedDaemons": {
            "type": "array",
            "description": "The cluster's ECS Managed Daemons that run the Agent, on its Managed Instances capacity providers (absent in older snapshots and without Managed Instances).",
            "items": {
              "$ref": "#/components/schemas/ManagedDaemonSummary"
            }
          },
          "managedInstancesCapacityProviders": {
            "type": "array",
            "description": "The cluster's ECS Managed Instances capacity providers (type MANAGED_INSTANCES), which only a managed daemon serves (absent in older snapshots and without Managed Instances).",
            "items": {
              "$ref": "#/components/schemas/ManagedInstancesCapacityProvider"
            }
          },
          "featureRevision": {
            "type": "string",
            "description": "family:revision whose features and findings the cluster shows (the Agent definition running on the most instances, else the daemon's current one)."
          },
          "outdatedInstances": {
            "type": "integer"
          },
          "features": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/FeatureChip"
            }
          },
          "findingCounts": {
            "$ref": "#/components/schemas/FindingCounts"
          },
          "refreshedAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "error": {
            "$ref": "#/components/schemas/InventoryError"
          }
        }
      },
      "ManagedDaemonCapacityProvider": {
        "type": "object",
        "description": "One capacity provider of a managed daemon's current revision (DescribeDaemon's currentRevisions[].capacityProviders[], summed over the current revisions).",
        "additionalProperties": false,
        "required": [
          "arn",
          "name",
          "runningCount",
          "withoutDaemonCount"
        ],
        "properties": {
          "arn": {
            "type": "string"
          },
          "name": {
            "type": "string",
            "description": "The capacity provider's name (what instances name in capacityProviderName)."
          },
          "runningCount": {
            "type": "integer",
            "minimum": 0,
            "description": "Daemon tasks running on its instances."
          },
          "withoutDaemonCount": {
            "type": "integer",
            "minimum": 0,
            "description": "Its instances running without the daemon task (a daemon that is not critical), not counted in runningCount."
          }
        }
      },
      "ManagedDaemonDeployment": {
        "type": "object",
        "description": "A daemon deployment (DescribeDaemonDeployments): instances drained and replaced in batches of drainPercent, with the bake time between steps, a circuit breaker, alarms, a rollback.",
        "additionalProperties": false,
        "required": [
          "arn",
          "status"
        ],
        "properties": {
          "arn": {
            "type": "string",
            "description": "The daemonDeploymentArn."
          },
          "status": {
            "type": "string",
            "description": "PENDING, IN_PROGRESS, SUCCESSFUL, STOP_REQUESTED, STOPPED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED."
          },
          "statusReason": {
            "type": "string"
          },
          "targetDaemonRevisionArn": {
            "type": "string",
            "description": "The daemon revision being deployed."
          },
          "sourceDaemonRevisionArns": {
            "type": "array",
            "description": "The daemon revisions being replaced.",
            "items": {
              "type": "string"
            }
          },
          "drainPercent": {
            "type": "number",
            "description": "The deployment configuration's drainPercent."
          },
          "bakeTimeInMinutes": {
            "type": "integer",
            "description": "The deployment configuration's bakeTimeInMinutes."
          },
          "instances": {
            "type": "object",
            "description": "The target revision's instances over its capacity providers: running the daemon, running without it, being drained.",
            "additionalProperties": false,
            "required": [
              "running",
              "withoutDaemon",
              "draining"
            ],
            "properties": {
              "running": {
                "type": "integer",
                "minimum": 0
              },
              "withoutDaemon": {
                "type": "integer",
                "minimum": 0
              },
              "draining": {
                "type": "integer",
                "minimum": 0
              }
            }
          },
          "circuitBreaker": {
            "type": "object",
            "description": "MONITORING, TRIGGERED, MONITORING_COMPLETE or DISABLED.",
            "additionalProperties": false,
            "properties": {
              "status": {
                "type": "string"
              },
              "failureCount": {
                "type": "integer"
              },
              "threshold": {
                "type": "integer"
              }
            }
          },
          "alarms": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "status": {
                "type": "string"
              },
              "alarmNames": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              },
              "triggeredAlarmNames": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              }
            }
          },
          "rollback": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "reason": {
                "type": "string"
              },
              "startedAt": {
                "$ref": "#/components/schemas/DateTime"
              },
              "rollbackTargetDaemonRevisionArn": {
                "type": "string"
              }
            }
          },
          "createdAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "startedAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "stoppedAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "finishedAt": {
            "$ref": "#/components/schemas/DateTime"
          }
        }
      },
      "ManagedInstancesCapacityProvider": {
        "type": "object",
        "description": "One of the cluster's ECS Managed Instances capacity providers.",
        "additionalProperties": false,
        "required": [
          "name",
          "instances"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "arn": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "description": "ACTIVE, or INACTIVE / DEPROVISIONING while it is deleted."
          },
          "instances": {
            "type": "integer",
            "description": "Its container instances in the snapshot (ACTIVE and DRAINING)."
          }
        }
      },
      "ManagedDaemonSummary": {
        "type": "object",
        "description": "An ECS Managed Daemon running the Agent on the cluster's Managed Instances capacity providers (DescribeDaemon, its current revision from DescribeDaemonRevisions, its current deployment from DescribeDaemonDeployments).",
        "additionalProperties": false,
        "required": [
          "daemonArn",
          "daemonName",
          "status",
          "critical",
          "capacityProviders",
          "runningCount",
          "withoutDaemonCount"
        ],
        "properties": {
          "daemonArn": {
            "type": "string"
          },
          "daemonName": {
            "type": "string",
            "description": "The daemon's name (the last part of its ARN)."
          },
          "status": {
            "type": "string",
            "description": "ACTIVE or DELETE_IN_PROGRESS."
          },
          "critical": {
            "type": "boolean",
            "description": "A critical daemon whose task fails, stops or is unhealthy gets its instance drained and replaced; a daemon that is not critical leaves the instance running without it. ECS's default true when the revision does not say."
          },
          "revision": {
            "type": "string",
            "description": "family:revision of the current revision's daemon task definition."
          },
          "taskDefinitionArn": {
            "type": "string",
            "description": "The current revision's daemonTaskDefinitionArn."
          },
          "daemonRevisionArn": {
            "type": "string"
          },
          "capacityProviders": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ManagedDaemonCapacityProvider"
            }
          },
          "runningCount": {
            "type": "integer",
            "minimum": 0,
            "description": "Daemon tasks running, over the current revisions (totalRunningCount)."
          },
          "withoutDaemonCount": {
            "type": "integer",
            "minimum": 0,
            "description": "Instances running without the daemon task (totalWithoutDaemonCount)."
          },
          "currentDeployment": {
            "$ref": "#/components/schemas/ManagedDaemonDeployment"
          },
          "createdAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "updatedAt": {
            "$ref": "#/components/schemas/DateTime"
          }
        }
      },
      "CoveragePoint": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "at",
          "instances",
          "covered",
          "coveragePercent"
        ],
        "properties": {
          "at": {
            "$ref": "#/components/schemas/DateTime"
          },
          "instances": {
            "type": "integer"
          },
          "covered": {
            "type": "integer"
          },
          "coveragePercent": {
            "type": [
              "integer",
              "null"
            ]
          }
        }
      },
      "ClusterDetails": {
        "type": "object",
        "description": "The full view of one cluster.",
        "additionalProperties": false,
        "required": [
          "accountId",
          "region",
          "clusterName",
          "clusterArn",
          "state",
          "counts",
          "coveragePercent",
          "fargateOnly",
          "agentServices",
          "agentRevisions",
          "outdatedInstances",
          "features",
          "findingCounts",
          "refreshedAt",
          "instances",
          "featureResults",
          "findings",
          "events",
          "taskDefinitions",
          "history"
        ],
        "properties": {
          "accountId": {
            "$ref": "#/components/schemas/AccountId"
          },
          "region": {
            "$ref": "#/components/schemas/Region"
          },
          "clusterName": {
            "$ref": "#/components/schemas/ClusterName"
          },
          "clusterArn": {
            "type": "string"
          },
          "locationName": {
            "type": "string",
            "description": "The location's display name from config."
          },
          "owner": {
            "type": "string",
            "description": "The owner's entity ref, from the cluster's owner tag, else the configured default."
          },
          "ownerSource": {
            "type": "string",
            "enum": [
              "tag",
              "config"
            ]
          },
          "system": {
            "type": "string",
            "description": "The system's entity ref, from the cluster's system tag."
          },
          "status": {
            "type": "string"
          },
          "state": {
            "$ref": "#/components/schemas/CoverageState"
          },
          "counts": {
            "$ref": "#/components/schemas/CoverageCounts"
          },
          "coveragePercent": {
            "type": [
              "integer",
              "null"
            ],
            "description": "covered / instances × 100, rounded down; null without instances."
          },
          "fargateOnly": {
            "type": "boolean"
          },
          "amazonLinuxGenerationUnknown": {
            "type": "integer",
            "minimum": 0,
            "description": "Linux EC2 instances whose Amazon Linux generation is unknown (custom AMI, AMI not readable): a rollout assumes Amazon Linux 2 / 2023 for them unless told otherwise."
          },
          "agentServices": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AgentServiceSummary"
            }
          },
          "agentRevisions": {
            "type": "array",
            "description": "family:revision of every Agent task running.",
            "items": {
              "type": "string"
            }
          },
          "currentRevision": {
            "type": "string",
            "description": "The Agent daemon's current (PRIMARY) revision, when there is one daemon."
          },
          "agentScheduling": {
            "$ref": "#/components/schemas/AgentScheduling"
          },
          "managedDaemons": {
            "type": "array",
            "description": "The cluster's ECS Managed Daemons that run the Agent, on its Managed Instances capacity providers (absent in older snapshots and without Managed Instances).",
            "items": {
              "$ref": "#/components/schemas/ManagedDaemonSummary"
            }
          },
          "managedInstancesCapacityProviders": {
            "type": "array",
            "description": "The cluster's ECS Managed Instances capacity providers (type MANAGED_INSTANCES), which only a managed daemon serves (absent in older snapshots and without Managed Instances).",
            "items": {
              "$ref": "#/components/schemas/ManagedInstancesCapacityProvider"
            }
          },
          "featureRevision": {
            "type": "string",
            "description": "family:revision whose features and findings the cluster shows (the Agent definition running on the most instances, else the daemon's current one)."
          },
          "outdatedInstances": {
            "type": "integer"
          },
          "features": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/FeatureChip"
            }
          },
          "findingCounts": {
            "$ref": "#/components/schemas/FindingCounts"
          },
          "refreshedAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "error": {
            "$ref": "#/components/schemas/InventoryError"
          },
          "instances": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/InstanceCoverage"
            }
          },
          "featureResults": {
            "type": "array",
            "description": "Every feature of the Agent daemon's current definition, with findings.",
            "items": {
              "$ref": "#/components/schemas/FeatureResult"
            }
          },
          "findings": {
            "type": "array",
            "description": "All findings, the definition's and the cluster's.",
            "items": {
              "$ref": "#/components/schemas/Finding"
            }
          },
          "events": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AgentEvent"
            }
          },
          "taskDefinitions": {
            "type": "array",
            "description": "The Agent task definitions in use, current first (secrets masked).",
            "items": {
              "$ref": "#/components/schemas/EcsTaskDefinition"
            }
          },
          "history": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/CoveragePoint"
            }
          }
        }
      },
      "LocationStatus": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "accountId",
          "region",
          "clusterCount"
        ],
        "properties": {
          "accountId": {
            "$ref": "#/components/schemas/AccountId"
          },
          "region": {
            "$ref": "#/components/schemas/Region"
          },
          "name": {
            "type": "string"
          },
          "clusterCount": {
            "type": "integer"
          },
          "refreshedAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "error": {
            "$ref": "#/components/schemas/InventoryError"
          }
        }
      },
      "RefreshStatus": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "running"
        ],
        "properties": {
          "running": {
            "type": "boolean"
          },
          "startedAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "finishedAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "progress": {
            "type": "object",
            "description": "Locations done / total while running.",
            "additionalProperties": false,
            "required": [
              "done",
              "total"
            ],
            "properties": {
              "done": {
                "type": "integer"
              },
              "total": {
                "type": "integer"
              }
            }
          },
          "nextAllowedAt": {
            "$ref": "#/components/schemas/DateTime"
          }
        }
      },
      "ClustersResponse": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "clusters",
          "locations",
          "refresh",
          "totals"
        ],
        "properties": {
          "clusters": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ClusterSummary"
            }
          },
          "locations": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/LocationStatus"
            }
          },
          "snapshotTakenAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "refresh": {
            "$ref": "#/components/schemas/RefreshStatus"
          },
          "totals": {
            "type": "object",
            "description": "Fleet totals over the clusters returned.",
            "additionalProperties": false,
            "required": [
              "clusters",
              "instances",
              "covered",
              "coveragePercent"
            ],
            "properties": {
              "clusters": {
                "type": "integer"
              },
              "instances": {
                "type": "integer"
              },
              "covered": {
                "type": "integer"
              },
              "coveragePercent": {
                "type": [
                  "integer",
                  "null"
                ]
              }
            }
          }
        }
      },
      "InstanceRef": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "instanceId",
          "containerInstanceArn",
          "state"
        ],
        "properties": {
          "instanceId": {
            "type": "string"
          },
          "containerInstanceArn": {
            "type": "string"
          },
          "state": {
            "$ref": "#/components/schemas/CoverageState"
          }
        }
      },
      "EntityServiceCoverage": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "serviceArn",
          "serviceName",
          "found",
          "instances",
          "uncoveredTasks",
          "tasks",
          "findings"
        ],
        "properties": {
          "serviceArn": {
            "type": "string"
          },
          "serviceName": {
            "type": "string"
          },
          "found": {
            "type": "boolean"
          },
          "launchType": {
            "type": "string"
          },
          "instances": {
            "type": "array",
            "description": "Container instances running this service's tasks.",
            "items": {
              "$ref": "#/components/schemas/InstanceRef"
            }
          },
          "uncoveredTasks": {
            "type": "integer"
          },
          "tasks": {
            "type": "integer"
          },
          "findings": {
            "type": "array",
            "description": "Findings on the service's own task definition.",
            "items": {
              "$ref": "#/components/schemas/Finding"
            }
          },
          "taskDefinitionArn": {
            "type": "string"
          }
        }
      },
      "EntityClusterCoverage": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "cluster",
          "services"
        ],
        "properties": {
          "cluster": {
            "$ref": "#/components/schemas/ClusterSummary"
          },
          "services": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/EntityServiceCoverage"
            }
          }
        }
      },
      "ServiceLookupRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "serviceArns"
        ],
        "properties": {
          "serviceArns": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1600
            }
          }
        }
      },
      "ServiceLookupResponse": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "services"
        ],
        "properties": {
          "services": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ServiceLookupResult"
            }
          },
          "snapshotTakenAt": {
            "$ref": "#/components/schemas/DateTime"
          }
        }
      },
      "ServiceLookupResult": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "serviceArn",
          "found"
        ],
        "properties": {
          "serviceArn": {
            "type": "string"
          },
          "found": {
            "type": "boolean",
            "description": "The inventory has this service on the cluster below."
          },
          "accountId": {
            "type": "string"
          },
          "region": {
            "type": "string"
          },
          "clusterName": {
            "type": "string"
          },
          "clusterArn": {
            "type": "string"
          },
          "reason": {
            "type": "string",
            "description": "Why it was not found."
          }
        }
      },
      "EntityCoverageResponse": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "entityRef",
          "clusters",
          "unmatched"
        ],
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "clusters": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/EntityClusterCoverage"
            }
          },
          "unmatched": {
            "type": "array",
            "description": "ARNs that match no configured location or no cluster in the snapshot.",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "arn",
                "reason"
              ],
              "properties": {
                "arn": {
                  "type": "string"
                },
                "reason": {
                  "type": "string"
                }
              }
            }
          },
          "snapshotTakenAt": {
            "$ref": "#/components/schemas/DateTime"
          }
        }
      },
      "EcsKeyValuePair": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "name": {
            "type": "string"
          },
          "value": {
            "type": "string"
          }
        }
      },
      "EcsSecret": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "name": {
            "type": "string"
          },
          "valueFrom": {
            "type": "string"
          }
        }
      },
      "EcsPortMapping": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "containerPort": {
            "type": "integer"
          },
          "hostPort": {
            "type": "integer"
          },
          "protocol": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "appProtocol": {
            "type": "string"
          },
          "containerPortRange": {
            "type": "string"
          }
        }
      },
      "EcsMountPoint": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "sourceVolume": {
            "type": "string"
          },
          "containerPath": {
            "type": "string"
          },
          "readOnly": {
            "type": [
              "boolean",
              "null"
            ]
          }
        }
      },
      "EcsVolume": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "name": {
            "type": "string"
          },
          "host": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "sourcePath": {
                "type": "string"
              }
            }
          },
          "dockerVolumeConfiguration": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "scope": {
                "type": "string"
              },
              "autoprovision": {
                "type": "boolean"
              },
              "driver": {
                "type": "string"
              },
              "driverOpts": {
                "$ref": "#/components/schemas/StringMap"
              },
              "labels": {
                "$ref": "#/components/schemas/StringMap"
              }
            }
          },
          "configuredAtLaunch": {
            "type": "boolean"
          },
          "logDriverVolumeConfiguration": {
            "type": "object",
            "description": "Daemon task definitions only, the log files of a log driver (json-file).",
            "additionalProperties": false,
            "properties": {
              "driver": {
                "type": "string"
              }
            }
          }
        }
      },
      "EcsHealthCheck": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "command": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "interval": {
            "type": "integer"
          },
          "timeout": {
            "type": "integer"
          },
          "retries": {
            "type": "integer"
          },
          "startPeriod": {
            "type": "integer"
          }
        }
      },
      "EcsLogConfiguration": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "logDriver": {
            "type": "string"
          },
          "options": {
            "$ref": "#/components/schemas/StringMap"
          },
          "secretOptions": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/EcsSecret"
            }
          }
        }
      },
      "EcsLinuxParameters": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "capabilities": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "add": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              },
              "drop": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              }
            }
          },
          "initProcessEnabled": {
            "type": "boolean"
          },
          "sharedMemorySize": {
            "type": "integer"
          }
        }
      },
      "EcsContainerDefinition": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "name": {
            "type": "string"
          },
          "image": {
            "type": "string"
          },
          "cpu": {
            "type": "integer"
          },
          "memory": {
            "type": "integer"
          },
          "memoryReservation": {
            "type": "integer"
          },
          "essential": {
            "type": "boolean"
          },
          "portMappings": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/EcsPortMapping"
            }
          },
          "environment": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/EcsKeyValuePair"
            }
          },
          "secrets": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/EcsSecret"
            }
          },
          "mountPoints": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/EcsMountPoint"
            }
          },
          "linuxParameters": {
            "$ref": "#/components/schemas/EcsLinuxParameters"
          },
          "healthCheck": {
            "$ref": "#/components/schemas/EcsHealthCheck"
          },
          "logConfiguration": {
            "$ref": "#/components/schemas/EcsLogConfiguration"
          },
          "entryPoint": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "command": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "dockerLabels": {
            "$ref": "#/components/schemas/StringMap"
          },
          "privileged": {
            "type": "boolean"
          },
          "user": {
            "type": "string"
          }
        }
      },
      "EcsTaskDefinition": {
        "type": "object",
        "description": "An ECS task definition (the parts the plugin reads or renders), secrets masked.",
        "additionalProperties": false,
        "properties": {
          "family": {
            "type": "string"
          },
          "containerDefinitions": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/EcsContainerDefinition"
            }
          },
          "volumes": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/EcsVolume"
            }
          },
          "networkMode": {
            "type": "string"
          },
          "requiresCompatibilities": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "cpu": {
            "type": "string"
          },
          "memory": {
            "type": "string"
          },
          "executionRoleArn": {
            "type": "string"
          },
          "taskRoleArn": {
            "type": "string"
          },
          "pidMode": {
            "type": "string"
          },
          "ipcMode": {
            "type": "string"
          },
          "placementConstraints": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "type": {
                  "type": "string"
                },
                "expression": {
                  "type": "string"
                }
              }
            }
          },
          "runtimePlatform": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "cpuArchitecture": {
                "type": "string"
              },
              "operatingSystemFamily": {
                "type": "string"
              }
            }
          },
          "taskDefinitionArn": {
            "type": "string"
          },
          "revision": {
            "type": "integer"
          },
          "status": {
            "type": "string"
          },
          "registeredAt": {
            "$ref": "#/components/schemas/SdkDateTime"
          },
          "registeredBy": {
            "type": "string"
          },
          "deregisteredAt": {
            "$ref": "#/components/schemas/SdkDateTime"
          },
          "requiresAttributes": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "name": {
                  "type": "string"
                },
                "value": {
                  "type": "string"
                },
                "targetType": {
                  "type": "string"
                },
                "targetId": {
                  "type": "string"
                }
              }
            }
          },
          "compatibilities": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "daemonTaskDefinitionArn": {
            "type": "string",
            "description": "A daemon task definition's ARN (ECS Managed Daemons), read-only."
          },
          "deleteRequestedAt": {
            "$ref": "#/components/schemas/SdkDateTime"
          }
        }
      },
      "TaskDefinitionChange": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "path",
          "kind"
        ],
        "properties": {
          "path": {
            "type": "string",
            "description": "e.g. containerDefinitions[datadog-agent].environment.DD_APM_ENABLED."
          },
          "kind": {
            "type": "string",
            "enum": [
              "added",
              "removed",
              "changed"
            ]
          },
          "before": {},
          "after": {}
        }
      },
      "RolloutTarget": {
        "type": "string",
        "description": "What a rollout deploys: daemon-service (a DAEMON service for the EC2 and ECS Anywhere instances) or managed-daemon (an ECS Managed Daemon for the Managed Instances capacity providers). Chosen from the cluster's capacity when absent; a mixed cluster rolls out each half on its own.",
        "enum": [
          "daemon-service",
          "managed-daemon"
        ]
      },
      "ManagedDaemonRolloutOptions": {
        "type": "object",
        "description": "How a managed daemon is deployed (CreateDaemon / UpdateDaemon); only with the managed-daemon target. Absent fields take the documented defaults (no `default` keyword here: the typed router would make the fields required).",
        "additionalProperties": false,
        "properties": {
          "critical": {
            "type": "boolean",
            "description": "Whether ECS drains and replaces an instance whose daemon task fails, stops or becomes unhealthy (default true, ECS's); otherwise the instance runs on without the Agent."
          },
          "drainPercent": {
            "$ref": "#/components/schemas/DrainPercent"
          },
          "bakeTimeInMinutes": {
            "$ref": "#/components/schemas/BakeTimeInMinutes"
          }
        }
      },
      "ResolvedManagedDaemonRolloutOptions": {
        "type": "object",
        "description": "A managed daemon's deployment options with the defaults applied.",
        "additionalProperties": false,
        "required": [
          "critical",
          "drainPercent",
          "bakeTimeInMinutes"
        ],
        "properties": {
          "critical": {
            "type": "boolean"
          },
          "drainPercent": {
            "type": "number"
          },
          "bakeTimeInMinutes": {
            "type": "integer"
          }
        }
      },
      "RolloutRequest": {
        "type": "object",
        "description": "What a rollout deploys. Unknown fields are refused. The API key never comes from the request: the backend takes it from datadogEcs.rollout.apiKeys for the cluster's account.",
        "additionalProperties": false,
        "properties": {
          "variant": {
            "$ref": "#/components/schemas/Variant",
            "description": "Overrides the variant chosen from the cluster's instances."
          },
          "external": {
            "type": "boolean",
            "description": "ECS Anywhere (EXTERNAL); chosen from the instances by default."
          },
          "features": {
            "$ref": "#/components/schemas/FeatureToggles",
            "description": "Agent features to switch on; those left out are off."
          },
          "site": {
            "$ref": "#/components/schemas/DatadogSite",
            "description": "DD_SITE; the portal default when absent."
          },
          "tags": {
            "$ref": "#/components/schemas/DatadogTags",
            "description": "DD_TAGS entries, each key:value."
          },
          "imageTag": {
            "$ref": "#/components/schemas/ImageTag",
            "description": "The Agent image tag; the portal default when absent."
          },
          "target": {
            "$ref": "#/components/schemas/RolloutTarget",
            "description": "daemon-service or managed-daemon; chosen from the cluster's capacity when absent."
          },
          "managedDaemon": {
            "$ref": "#/components/schemas/ManagedDaemonRolloutOptions",
            "description": "The managed daemon's criticality, drain percent and bake time."
          },
          "entityRef": {
            "$ref": "#/components/schemas/EntityRef",
            "description": "The catalog entity the rollout is for (its owners may roll out; its annotations must point at the cluster); the portal-wide cluster permission otherwise."
          }
        }
      },
      "StartRolloutRequest": {
        "type": "object",
        "description": "The preview's body plus an idempotency clientToken.",
        "additionalProperties": false,
        "properties": {
          "variant": {
            "$ref": "#/components/schemas/Variant",
            "description": "Overrides the variant chosen from the cluster's instances."
          },
          "external": {
            "type": "boolean",
            "description": "ECS Anywhere (EXTERNAL); chosen from the instances by default."
          },
          "features": {
            "$ref": "#/components/schemas/FeatureToggles",
            "description": "Agent features to switch on; those left out are off."
          },
          "site": {
            "$ref": "#/components/schemas/DatadogSite",
            "description": "DD_SITE; the portal default when absent."
          },
          "tags": {
            "$ref": "#/components/schemas/DatadogTags",
            "description": "DD_TAGS entries, each key:value."
          },
          "imageTag": {
            "$ref": "#/components/schemas/ImageTag",
            "description": "The Agent image tag; the portal default when absent."
          },
          "target": {
            "$ref": "#/components/schemas/RolloutTarget",
            "description": "daemon-service or managed-daemon; chosen from the cluster's capacity when absent."
          },
          "managedDaemon": {
            "$ref": "#/components/schemas/ManagedDaemonRolloutOptions",
            "description": "The managed daemon's criticality, drain percent and bake time."
          },
          "entityRef": {
            "$ref": "#/components/schemas/EntityRef",
            "description": "The catalog entity the rollout is for (its owners may roll out; its annotations must point at the cluster); the portal-wide cluster permission otherwise."
          },
          "clientToken": {
            "$ref": "#/components/schemas/ClientToken"
          }
        }
      },
      "EmptyBody": {
        "type": "object",
        "description": "No fields.",
        "additionalProperties": false
      },
      "RolloutOperation": {
        "type": "string",
        "enum": [
          "RegisterTaskDefinition",
          "CreateService",
          "UpdateService",
          "RegisterDaemonTaskDefinition",
          "CreateDaemon",
          "UpdateDaemon"
        ]
      },
      "RolloutCall": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "operation",
          "summary"
        ],
        "properties": {
          "operation": {
            "$ref": "#/components/schemas/RolloutOperation"
          },
          "summary": {
            "type": "string"
          }
        }
      },
      "RolloutCurrentDaemon": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "serviceName",
          "revision",
          "taskDefinitionArn",
          "features"
        ],
        "properties": {
          "serviceName": {
            "type": "string"
          },
          "revision": {
            "type": "string",
            "description": "family:revision."
          },
          "taskDefinitionArn": {
            "type": "string"
          },
          "features": {
            "$ref": "#/components/schemas/FeatureToggles"
          },
          "daemonArn": {
            "type": "string",
            "description": "For a managed daemon, its ARN (serviceName is then the daemon's name)."
          }
        }
      },
      "ManagedDaemonReplacementPlan": {
        "type": "object",
        "description": "How a daemon deployment replaces the instances: drained and replaced in batches of drainPercent (at least one instance), the bake time after each batch.",
        "additionalProperties": false,
        "required": [
          "instances",
          "drainPercent",
          "batchSize",
          "batches",
          "bakeTimeInMinutes",
          "summary"
        ],
        "properties": {
          "instances": {
            "type": "integer",
            "minimum": 0,
            "description": "Instances of the capacity providers that get replaced."
          },
          "drainPercent": {
            "type": "number"
          },
          "batchSize": {
            "type": "integer",
            "minimum": 0,
            "description": "Instances drained at a time."
          },
          "batches": {
            "type": "integer",
            "minimum": 0
          },
          "bakeTimeInMinutes": {
            "type": "integer",
            "minimum": 0
          },
          "summary": {
            "type": "string",
            "description": "In words, e.g. \"4 instances replaced in 4 batches of 1 (25%), 10 minutes' bake time after each\"."
          }
        }
      },
      "ManagedDaemonPreview": {
        "type": "object",
        "description": "What a managed-daemon rollout asks of ECS.",
        "additionalProperties": false,
        "required": [
          "daemonName",
          "action",
          "capacityProviders",
          "options",
          "replacement"
        ],
        "properties": {
          "daemonName": {
            "type": "string"
          },
          "daemonArn": {
            "type": "string",
            "description": "The daemon updated; absent when it is created."
          },
          "action": {
            "type": "string",
            "enum": [
              "create",
              "update"
            ],
            "description": "CreateDaemon or UpdateDaemon."
          },
          "capacityProviders": {
            "type": "array",
            "description": "The Managed Instances capacity providers the daemon is for (names).",
            "items": {
              "type": "string"
            }
          },
          "options": {
            "$ref": "#/components/schemas/ResolvedManagedDaemonRolloutOptions"
          },
          "replacement": {
            "$ref": "#/components/schemas/ManagedDaemonReplacementPlan"
          }
        }
      },
      "RolloutPreview": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "cluster",
          "variant",
          "external",
          "variantSource",
          "warnings",
          "taskDefinition",
          "diff",
          "registerNeeded",
          "calls",
          "instancesAffected",
          "serviceName",
          "image",
          "rolloutEnabled",
          "basedOn"
        ],
        "properties": {
          "cluster": {
            "$ref": "#/components/schemas/ClusterRef"
          },
          "variant": {
            "$ref": "#/components/schemas/Variant"
          },
          "external": {
            "type": "boolean"
          },
          "variantSource": {
            "type": "string",
            "enum": [
              "request",
              "instances"
            ]
          },
          "warnings": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "taskDefinition": {
            "$ref": "#/components/schemas/EcsTaskDefinition"
          },
          "diff": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/TaskDefinitionChange"
            }
          },
          "registerNeeded": {
            "type": "boolean",
            "description": "False when the family's latest revision already is the rendered definition."
          },
          "latestRevision": {
            "type": "string",
            "description": "family:revision of the family's latest ACTIVE revision."
          },
          "calls": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/RolloutCall"
            }
          },
          "instancesAffected": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/InstanceRef"
            }
          },
          "current": {
            "$ref": "#/components/schemas/RolloutCurrentDaemon"
          },
          "serviceName": {
            "type": "string"
          },
          "target": {
            "$ref": "#/components/schemas/RolloutTarget",
            "description": "What the rollout deploys (daemon-service when absent, from older backends)."
          },
          "managedDaemon": {
            "$ref": "#/components/schemas/ManagedDaemonPreview",
            "description": "For the managed-daemon target, the daemon and how its instances get replaced."
          },
          "image": {
            "type": "string"
          },
          "rolloutEnabled": {
            "type": "boolean"
          },
          "blocked": {
            "type": "object",
            "description": "Why a rollout would be refused now, as far as the snapshot shows (starting checks ECS again).",
            "additionalProperties": false,
            "required": [
              "reason",
              "message"
            ],
            "properties": {
              "reason": {
                "$ref": "#/components/schemas/RolloutBlockReason"
              },
              "message": {
                "type": "string"
              }
            }
          },
          "basedOn": {
            "type": "object",
            "description": "A preview makes no AWS call; it is computed from a snapshot this old.",
            "additionalProperties": false,
            "required": [
              "snapshotTakenAt",
              "ageSeconds"
            ],
            "properties": {
              "snapshotTakenAt": {
                "$ref": "#/components/schemas/DateTime"
              },
              "ageSeconds": {
                "type": "integer"
              },
              "latestRevisionReadAt": {
                "$ref": "#/components/schemas/DateTime"
              }
            }
          }
        }
      },
      "RolloutStatus": {
        "type": "string",
        "enum": [
          "pending",
          "in-progress",
          "completed",
          "failed",
          "cancelled"
        ]
      },
      "RolloutBlockReason": {
        "type": "string",
        "enum": [
          "service-draining"
        ]
      },
      "CancelRolloutRequest": {
        "type": "object",
        "description": "The body of POST /rollouts/{id}/cancel.",
        "additionalProperties": false,
        "properties": {
          "rollback": {
            "type": "boolean",
            "description": "Also stop the ECS deployment and roll the service back to its previous revision (StopServiceDeployment, stop type ROLLBACK)."
          }
        }
      },
      "RolloutKind": {
        "type": "string",
        "enum": [
          "rollout",
          "rollback"
        ]
      },
      "RolloutFailureKind": {
        "type": "string",
        "enum": [
          "circuit-breaker",
          "image-pull",
          "timeout",
          "aws-error",
          "superseded",
          "unknown"
        ]
      },
      "RolloutInstanceState": {
        "type": "string",
        "enum": [
          "waiting",
          "pending",
          "running",
          "healthy",
          "failed",
          "skipped"
        ]
      },
      "RolloutInstanceProgress": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "containerInstanceArn",
          "instanceId",
          "state",
          "oldRevisionStopped"
        ],
        "properties": {
          "containerInstanceArn": {
            "type": "string"
          },
          "instanceId": {
            "type": "string"
          },
          "state": {
            "$ref": "#/components/schemas/RolloutInstanceState"
          },
          "taskArn": {
            "type": "string"
          },
          "lastStatus": {
            "type": "string"
          },
          "healthStatus": {
            "type": "string"
          },
          "oldRevisionStopped": {
            "type": "boolean"
          },
          "reason": {
            "type": "string",
            "description": "Why the new task stopped, verbatim from ECS."
          }
        }
      },
      "RolloutEvent": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "createdAt",
          "message"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "createdAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "message": {
            "type": "string"
          }
        }
      },
      "RolloutDeployment": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "string"
          },
          "rolloutState": {
            "type": "string",
            "description": "IN_PROGRESS, COMPLETED or FAILED."
          },
          "rolloutStateReason": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "description": "PRIMARY or ACTIVE."
          },
          "serviceDeploymentArn": {
            "type": "string"
          },
          "serviceDeploymentStatus": {
            "type": "string",
            "description": "PENDING, IN_PROGRESS, SUCCESSFUL, STOP_REQUESTED, STOPPED, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED."
          },
          "serviceDeploymentStatusReason": {
            "type": "string"
          },
          "daemonDeployment": {
            "$ref": "#/components/schemas/ManagedDaemonDeployment",
            "description": "For a managed daemon, the daemon deployment it follows."
          },
          "circuitBreaker": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "status": {
                "type": "string"
              },
              "failureCount": {
                "type": "integer"
              },
              "threshold": {
                "type": "integer"
              }
            }
          },
          "rollback": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "reason": {
                "type": "string"
              },
              "startedAt": {
                "$ref": "#/components/schemas/DateTime"
              }
            }
          }
        }
      },
      "RolloutOptions": {
        "type": "object",
        "description": "The options a rollout rendered (never the API key).",
        "additionalProperties": false,
        "required": [
          "variant",
          "external",
          "features",
          "site",
          "imageTag"
        ],
        "properties": {
          "variant": {
            "$ref": "#/components/schemas/Variant"
          },
          "external": {
            "type": "boolean"
          },
          "features": {
            "$ref": "#/components/schemas/FeatureToggles"
          },
          "site": {
            "type": "string"
          },
          "tags": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "imageTag": {
            "type": "string"
          },
          "target": {
            "$ref": "#/components/schemas/RolloutTarget"
          },
          "managedDaemon": {
            "$ref": "#/components/schemas/ResolvedManagedDaemonRolloutOptions"
          }
        }
      },
      "RolloutSummary": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "kind",
          "cluster",
          "status",
          "createdBy",
          "source",
          "createdAt",
          "serviceName",
          "createdService",
          "registered",
          "instanceCounts",
          "canRollback"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/RolloutId"
          },
          "kind": {
            "$ref": "#/components/schemas/RolloutKind"
          },
          "rollbackOf": {
            "type": "string",
            "description": "For a rollback, the rollout it undoes."
          },
          "rolledBackBy": {
            "type": "string",
            "description": "The rollback that undid this rollout."
          },
          "cluster": {
            "$ref": "#/components/schemas/ClusterRef"
          },
          "status": {
            "$ref": "#/components/schemas/RolloutStatus"
          },
          "createdBy": {
            "type": "string",
            "description": "The user (or service) entity ref that started it."
          },
          "source": {
            "type": "string",
            "enum": [
              "entity",
              "portal"
            ]
          },
          "entityRef": {
            "type": "string"
          },
          "createdAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "finishedAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "durationSeconds": {
            "type": "integer"
          },
          "serviceName": {
            "type": "string"
          },
          "target": {
            "$ref": "#/components/schemas/RolloutTarget",
            "description": "daemon-service when absent (older rollouts)."
          },
          "daemonArn": {
            "type": "string",
            "description": "For a managed daemon, its ARN (serviceName is the daemon's name)."
          },
          "createdService": {
            "type": "boolean",
            "description": "True when the rollout created the daemon service (or the managed daemon): nothing to roll back to."
          },
          "oldRevision": {
            "type": "string"
          },
          "oldTaskDefinitionArn": {
            "type": "string"
          },
          "newRevision": {
            "type": "string"
          },
          "newTaskDefinitionArn": {
            "type": "string"
          },
          "registered": {
            "type": "boolean"
          },
          "options": {
            "$ref": "#/components/schemas/RolloutOptions"
          },
          "features": {
            "$ref": "#/components/schemas/FeatureToggles"
          },
          "deployment": {
            "$ref": "#/components/schemas/RolloutDeployment"
          },
          "failureKind": {
            "$ref": "#/components/schemas/RolloutFailureKind"
          },
          "failureReason": {
            "type": "string"
          },
          "note": {
            "type": "string"
          },
          "cancelledBy": {
            "type": "string",
            "description": "Who cancelled it."
          },
          "deadlineAt": {
            "$ref": "#/components/schemas/DateTime",
            "description": "When it fails as timed out unless finished."
          },
          "instanceCounts": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "total",
              "done",
              "failed",
              "skipped"
            ],
            "properties": {
              "total": {
                "type": "integer"
              },
              "done": {
                "type": "integer"
              },
              "failed": {
                "type": "integer"
              },
              "skipped": {
                "type": "integer"
              }
            }
          },
          "canRollback": {
            "type": "boolean",
            "description": "Whether POST …/rollouts/{id}/rollback is possible now."
          }
        }
      },
      "Rollout": {
        "type": "object",
        "description": "One rollout with its progress.",
        "additionalProperties": false,
        "required": [
          "id",
          "kind",
          "cluster",
          "status",
          "createdBy",
          "source",
          "createdAt",
          "serviceName",
          "createdService",
          "registered",
          "instanceCounts",
          "canRollback",
          "instances",
          "events",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/RolloutId"
          },
          "kind": {
            "$ref": "#/components/schemas/RolloutKind"
          },
          "rollbackOf": {
            "type": "string",
            "description": "For a rollback, the rollout it undoes."
          },
          "rolledBackBy": {
            "type": "string",
            "description": "The rollback that undid this rollout."
          },
          "cluster": {
            "$ref": "#/components/schemas/ClusterRef"
          },
          "status": {
            "$ref": "#/components/schemas/RolloutStatus"
          },
          "createdBy": {
            "type": "string",
            "description": "The user (or service) entity ref that started it."
          },
          "source": {
            "type": "string",
            "enum": [
              "entity",
              "portal"
            ]
          },
          "entityRef": {
            "type": "string"
          },
          "createdAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "finishedAt": {
            "$ref": "#/components/schemas/DateTime"
          },
          "durationSeconds": {
            "type": "integer"
          },
          "serviceName": {
            "type": "string"
          },
          "target": {
            "$ref": "#/components/schemas/RolloutTarget",
            "description": "daemon-service when absent (older rollouts)."
          },
          "daemonArn": {
            "type": "string",
            "description": "For a managed daemon, its ARN (serviceName is the daemon's name)."
          },
          "createdService": {
            "type": "boolean",
            "description": "True when the rollout created the daemon service (or the managed daemon): nothing to roll back to."
          },
          "oldRevision": {
            "type": "string"
          },
          "oldTaskDefinitionArn": {
            "type": "string"
          },
          "newRevision": {
            "type": "string"
          },
          "newTaskDefinitionArn": {
            "type": "string"
          },
          "registered": {
            "type": "boolean"
          },
          "options": {
            "$ref": "#/components/schemas/RolloutOptions"
          },
          "features": {
            "$ref": "#/components/schemas/FeatureToggles"
          },
          "deployment": {
            "$ref": "#/components/schemas/RolloutDeployment"
          },
          "failureKind": {
            "$ref": "#/components/schemas/RolloutFailureKind"
          },
          "failureReason": {
            "type": "string"
          },
          "note": {
            "type": "string"
          },
          "cancelledBy": {
            "type": "string",
            "description": "Who cancelled it."
          },
          "deadlineAt": {
            "$ref": "#/components/schemas/DateTime",
            "description": "When it fails as timed out unless finished."
          },
          "instanceCounts": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "total",
              "done",
              "failed",
              "skipped"
            ],
            "properties": {
              "total": {
                "type": "integer"
              },
              "done": {
                "type": "integer"
              },
              "failed": {
                "type": "integer"
              },
              "skipped": {
                "type": "integer"
              }
            }
          },
          "canRollback": {
            "type": "boolean",
            "description": "Whether POST …/rollouts/{id}/rollback is possible now."
          },
          "instances": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/RolloutInstanceProgress"
            }
          },
          "events": {
            "type": "array",
            "description": "Service events seen since the rollout started, newest first.",
            "items": {
              "$ref": "#/components/schemas/RolloutEvent"
            }
          },
          "updatedAt": {
            "$ref": "#/components/schemas/DateTime"
          }
        }
      },
      "RolloutListResponse": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "rollouts"
        ],
        "properties": {
          "rollouts": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/RolloutSummary"
            }
          },
          "activeRolloutId": {
            "$ref": "#/components/schemas/RolloutId",
            "description": "The id of the cluster's rollout in progress, if any."
          },
          "rolloutEnabled": {
            "type": "boolean",
            "description": "Whether rollouts are switched on (datadogEcs.rollout.enabled)."
          }
        }
      },
      "Error": {
        "type": "object",
        "description": "Backstage's serialized error: name and message, and the error's own fields (the documented ones below, per response).",
        "required": [
          "name",
          "message"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "message": {
            "type": "string"
          }
        }
      },
      "ErrorBody": {
        "type": "object",
        "required": [
          "error",
          "response"
        ],
        "properties": {
          "error": {
            "$ref": "#/components/schemas/Error"
          },
          "request": {
            "type": "object",
            "required": [
              "method",
              "url"
            ],
            "properties": {
              "method": {
                "type": "string"
              },
              "url": {
                "type": "string"
              }
            }
          },
          "response": {
            "type": "object",
            "required": [
              "statusCode"
            ],
            "properties": {
              "statusCode": {
                "type": "integer"
              }
            }
          }
        }
      },
      "InvalidRequestErrorBody": {
        "type": "object",
        "description": "A 400; `error.rule` names the rule of the guide the options break, if that is why.",
        "required": [
          "error",
          "response"
        ],
        "properties": {
          "error": {
            "allOf": [
              {
                "$ref": "#/components/schemas/RuleErrorFields"
              },
              {
                "$ref": "#/components/schemas/Error"
              }
            ]
          },
          "request": {
            "type": "object",
            "required": [
              "method",
              "url"
            ],
            "properties": {
              "method": {
                "type": "string"
              },
              "url": {
                "type": "string"
              }
            }
          },
          "response": {
            "type": "object",
            "required": [
              "statusCode"
            ],
            "properties": {
              "statusCode": {
                "type": "integer"
              }
            }
          }
        }
      },
      "RolloutConflictErrorBody": {
        "type": "object",
        "description": "A 409; `error.activeRolloutId` is the cluster's active rollout, if that is the conflict.",
        "required": [
          "error",
          "response"
        ],
        "properties": {
          "error": {
            "allOf": [
              {
                "$ref": "#/components/schemas/ActiveRolloutErrorFields"
              },
              {
                "$ref": "#/components/schemas/Error"
              }
            ]
          },
          "request": {
            "type": "object",
            "required": [
              "method",
              "url"
            ],
            "properties": {
              "method": {
                "type": "string"
              },
              "url": {
                "type": "string"
              }
            }
          },
          "response": {
            "type": "object",
            "required": [
              "statusCode"
            ],
            "properties": {
              "statusCode": {
                "type": "integer"
              }
            }
          }
        }
      },
      "RateLimitedErrorBody": {
        "type": "object",
        "description": "A 429; `error.retryAfterSeconds` and `error.nextAllowedAt` say when to come back.",
        "required": [
          "error",
          "response"
        ],
        "properties": {
          "error": {
            "allOf": [
              {
                "$ref": "#/components/schemas/RateLimitErrorFields"
              },
              {
                "$ref": "#/components/schemas/Error"
              }
            ]
          },
          "request": {
            "type": "object",
            "required": [
              "method",
              "url"
            ],
            "properties": {
              "method": {
                "type": "string"
              },
              "url": {
                "type": "string"
              }
            }
          },
          "response": {
            "type": "object",
            "required": [
              "statusCode"
            ],
            "properties": {
              "statusCode": {
                "type": "integer"
              }
            }
          }
        }
      },
      "RuleErrorFields": {
        "type": "object",
        "properties": {
          "rule": {
            "type": "string",
            "description": "The rule of the guide the options break (npm-linux-only, fips-proxy-government-site, …), when that is the reason."
          }
        }
      },
      "ActiveRolloutErrorFields": {
        "type": "object",
        "properties": {
          "activeRolloutId": {
            "$ref": "#/components/schemas/RolloutId",
            "description": "The cluster's active rollout, when that is the conflict."
          },
          "reason": {
            "type": "string",
            "description": "Why: active-rollout, service-draining (a service of that name is DRAINING: ECS cannot create it again until it is INACTIVE), not-rollbackable, rollout-finished, ecs-refused."
          }
        }
      },
      "RateLimitErrorFields": {
        "type": "object",
        "required": [
          "retryAfterSeconds",
          "nextAllowedAt"
        ],
        "properties": {
          "retryAfterSeconds": {
            "type": "integer",
            "minimum": 1,
            "description": "Seconds to wait (also the Retry-After header)."
          },
          "nextAllowedAt": {
            "$ref": "#/components/schemas/DateTime",
            "description": "When the next refresh is allowed."
          }
        }
      }
    }
  }
} as const;
