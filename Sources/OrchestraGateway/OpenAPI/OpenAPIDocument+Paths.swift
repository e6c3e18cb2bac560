import OrchestraAPI
import OrchestraAgents

extension OpenAPIDocument {
    /// Every path the gateway serves.
    static func paths(requiresAPIKey: Bool) -> JSONObject {
        func operation(_ id: String, _ summary: String, _ fields: JSONObject, isPublic: Bool = false) -> JSONValue {
            var operation = fields
            operation["operationId"] = .string(id)
            operation["summary"] = .string(summary)
            var responses = operation["responses"]?.objectValue ?? [:]
            if requiresAPIKey, !isPublic {
                responses["401"] = jsonResponse("Missing or wrong X-API-Key.", ref("HTTPError"))
            }
            if operation["requestBody"] != nil {
                responses["415"] = jsonResponse("The body is not declared `application/json`.", ref("HTTPError"))
            }
            operation["responses"] = .object(responses)
            if requiresAPIKey, isPublic { operation["security"] = [] }
            return .object(operation)
        }
        let workflowID: JSONValue = [
            "name": "workflow_id", "in": "path", "required": true,
            "schema": [
                "type": "string", "pattern": .string(IdentifierSyntax.pattern), "maxLength": .int(Int64(IdentifierSyntax.maxLength)),
            ],
        ]
        let notFound = jsonResponse("No such workflow: `Workflow {id} not found`.", ref("HTTPError"))
        let invalid = jsonResponse("Invalid parameters or body.", ref("HTTPValidationError"))
        let unavailable = jsonResponse("Redis is unreachable.", ref("HTTPError"))

        var paths: JSONObject = [
            "/": [
                "get": operation(
                    "root", "Service banner", ["responses": ["200": jsonResponse("The service is running.", ref("ServiceInfo"))]],
                    isPublic: true)
            ],
            "/health": [
                "get": operation(
                    "health", "Health check",
                    [
                        "description": "Checks that Redis answers; `active_workflows` counts pending and running workflows.",
                        "responses": [
                            "200": jsonResponse("Healthy.", ref("HealthStatus")),
                            "503": jsonResponse("Redis is unreachable (`status: unhealthy`, with `detail`).", ref("HealthStatus")),
                        ],
                    ], isPublic: true)
            ],
            "/run-graph": [
                "post": operation(
                    "runGraph", "Submit a workflow",
                    [
                        "description": """
                        Validates the workflow (ids, dependencies, cycles, models, sizes) and writes it atomically; its root \
                        tasks become ready at once. A rejected workflow writes nothing.
                        """,
                        "requestBody": ["required": true, "content": ["application/json": ["schema": ref("WorkflowRequest")]]],
                        "responses": [
                            "200": jsonResponse("Accepted: the new workflow, `pending`.", ref("WorkflowStatus")),
                            "409": jsonResponse("`Workflow {id} already exists`.", ref("HTTPError")),
                            "413": jsonResponse("The body is larger than MAX_REQUEST_BYTES.", ref("HTTPError")),
                            "422": invalid, "503": unavailable,
                        ],
                    ])
            ],
            "/run-graph/batch": [
                "post": operation(
                    "runGraphBatch", "Submit many workflows",
                    [
                        "description": .string(
                            """
                            An array of 1 to \(WorkflowRoutes.maximumBatchSize) workflow requests, each validated and written on its own \
                            (all in one round trip to Redis): the answer has one entry per request, in order — `status` 200 with the \
                            new `workflow`, or the status and `detail` that `POST /run-graph` would have answered for it (409, 422, \
                            503). A body that is not such an array is a 422 for the whole request and writes nothing.
                            """),
                        "requestBody": [
                            "required": true,
                            "content": [
                                "application/json": [
                                    "schema": [
                                        "type": "array", "items": ref("WorkflowRequest"), "minItems": 1,
                                        "maxItems": .int(Int64(WorkflowRoutes.maximumBatchSize)),
                                    ]
                                ]
                            ],
                        ],
                        "responses": [
                            "200": jsonResponse(
                                "One entry per request, in order.",
                                [
                                    "type": "array",
                                    "items": object(
                                        [
                                            "status": [
                                                "type": "integer", "description": "200, or what `POST /run-graph` would have answered.",
                                            ],
                                            "workflow": ref("WorkflowStatus"),
                                            "detail": [
                                                "description": "For a refused request: its message, or its validation issues.",
                                                "oneOf": [["type": "string"], ["type": "array", "items": ref("ValidationError")]],
                                            ],
                                        ], required: ["status"], description: "`workflow` when `status` is 200, else `detail`."),
                                ]),
                            "413": jsonResponse("The body is larger than MAX_REQUEST_BYTES.", ref("HTTPError")),
                            "422": invalid, "503": unavailable,
                        ],
                    ])
            ],
            "/status/{workflow_id}": [
                "get": operation(
                    "getStatus", "Workflow status",
                    [
                        "parameters": [
                            workflowID,
                            [
                                "name": "wait", "in": "query", "required": false,
                                "description": "Long-poll: wait up to this many seconds for the workflow to reach a terminal status.",
                                "schema": ["type": "number", "exclusiveMinimum": 0, "maximum": .double(WorkflowRoutes.maximumWaitSeconds)],
                            ],
                        ],
                        "responses": [
                            "200": jsonResponse("The workflow.", ref("WorkflowStatus")), "404": notFound, "422": invalid,
                            "503": unavailable,
                        ],
                    ])
            ],
            "/workflows": [
                "get": operation(
                    "listWorkflows", "List workflows, newest first",
                    [
                        "parameters": [
                            [
                                "name": "status", "in": "query", "required": false,
                                "schema": ["type": "string", "enum": .array(WorkflowState.allCases.map { .string($0.rawValue) })],
                            ],
                            [
                                "name": "limit", "in": "query", "required": false,
                                "schema": [
                                    "type": "integer", "minimum": 1, "maximum": .int(Int64(WorkflowRoutes.maximumListLimit)),
                                    "default": .int(Int64(WorkflowRoutes.defaultListLimit)),
                                ],
                            ],
                            [
                                "name": "cursor", "in": "query", "required": false,
                                "description": "Where the page starts: the `X-Next-Cursor` header of the previous page (opaque).",
                                "schema": ["type": "string", "maxLength": 160],
                            ],
                            [
                                "name": "offset", "in": "query", "required": false,
                                "description": "Workflows to skip; for deeper pages use `cursor`, whose cost does not grow with depth.",
                                "schema": [
                                    "type": "integer", "minimum": 0, "maximum": .int(Int64(WorkflowRoutes.maximumListOffset)), "default": 0,
                                ],
                            ],
                        ],
                        "responses": [
                            "200": jsonResponse(
                                "Workflows, newest `created_at` first. `X-Next-Cursor` carries the cursor of the next page; it is absent on the last one.",
                                ["type": "array", "items": ref("WorkflowStatus")]),
                            "422": invalid, "503": unavailable,
                        ],
                    ])
            ],
            "/workflows/{workflow_id}": [
                "delete": operation(
                    "deleteWorkflow", "Cancel and delete a workflow",
                    [
                        "description": "No further task of it starts, running tasks are told to stop, and the record is removed.",
                        "parameters": [workflowID],
                        "responses": [
                            "200": jsonResponse("`Workflow {id} deleted`.", ref("DeleteResponse")), "404": notFound, "503": unavailable,
                        ],
                    ])
            ],
            "/workflows/{workflow_id}/request": [
                "get": operation(
                    "getWorkflowRequest", "A workflow as submitted",
                    [
                        "description":
                            "`workflow_type`, `metadata` and `tasks` as submitted (each with `input_data`, `depends_on` and the options that were set): `POST /run-graph` accepts them as they are to run the same workflow again. `added_tasks` lists those a delegating task's plan added, each naming it in `added_by`.",
                        "parameters": [workflowID],
                        "responses": [
                            "200": jsonResponse(
                                "The request.",
                                object(
                                    [
                                        "workflow_id": ["type": "string"], "workflow_type": ["type": "string"],
                                        "tasks": ["type": "array", "items": ref("AgentTask")], "metadata": ["type": "object"],
                                        "added_tasks": ["type": "array", "items": ["type": "object"]],
                                    ], required: ["workflow_id", "workflow_type", "tasks", "metadata", "added_tasks"],
                                    description: "The workflow as submitted.")),
                            "404": notFound, "503": unavailable,
                        ],
                    ])
            ],
            "/queues": [
                "get": operation(
                    "getQueues", "Queue statistics",
                    [
                        "description":
                            "Ready, running (leased) and delayed (awaiting retry) tasks per shard, their totals, and the workflows in each status.",
                        "responses": ["200": jsonResponse("Queue depths.", ref("QueueStatistics")), "503": unavailable],
                    ])
            ],
            "/usage": [
                "get": operation(
                    "getUsage", "Provider usage",
                    [
                        "description":
                            "Completed calls and tokens per provider and model across the cluster (`models`: provider, model, calls, prompt_tokens, completion_tokens, total_tokens), and their `totals`.",
                        "responses": ["200": jsonResponse("Usage counters.", ["type": "object"]), "503": unavailable],
                    ])
            ],
            "/patterns": [
                "get": operation(
                    "listPatterns", "Pre-built workflow patterns",
                    [
                        "description": "Each pattern's name, description, workflow type and parameters (a JSON Schema).",
                        "responses": ["200": jsonResponse("The patterns.", ["type": "array", "items": ["type": "object"]])],
                    ])
            ],
            "/openapi.json": [
                "get": operation(
                    "getOpenAPI", "This document",
                    ["responses": ["200": jsonResponse("The OpenAPI 3.1 document.", ["type": "object"])]], isPublic: true)
            ],
            "/dashboard": [
                "get": operation(
                    "getDashboard", "The operators' dashboard",
                    [
                        "description":
                            "A web page over this API and its event streams (overview, workflows, a workflow's live graph, submit). It needs no key itself; it asks for one when the API answers 401.",
                        "responses": [
                            "200": ["description": "The page.", "content": ["text/html": ["schema": ["type": "string"]]]],
                            "304": ["description": "Not modified since the `ETag` sent in `If-None-Match`."],
                        ],
                    ],
                    isPublic: true)
            ],
            "/docs": [
                "get": operation(
                    "getDocs", "Interactive API documentation",
                    [
                        "responses": [
                            "200": [
                                "description": "An HTML page rendering this document.",
                                "content": ["text/html": ["schema": ["type": "string"]]],
                            ]
                        ]
                    ],
                    isPublic: true)
            ],
        ]
        let html: JSONValue = ["description": "An HTML page.", "content": ["text/html": ["schema": ["type": "string"]]]]
        let eventStream: (String) -> JSONValue = { description in
            ["description": .string(description), "content": ["text/event-stream": ["schema": ["type": "string"]]]]
        }
        let lastEventID: [JSONValue] = [
            [
                "name": "Last-Event-ID", "in": "header", "required": false, "schema": ["type": "string"],
                "description": "Resume after this event id (from any gateway).",
            ],
            [
                "name": "last_event_id", "in": "query", "required": false, "schema": ["type": "string"],
                "description": "The same as `Last-Event-ID`, for clients that cannot set headers.",
            ],
        ]
        paths["/redoc"] = ["get": operation("getRedoc", "API documentation (ReDoc)", ["responses": ["200": html]], isPublic: true)]
        paths["/ready"] = [
            "get": operation(
                "getReady", "Readiness probe",
                [
                    "description":
                        "200 once this gateway checked the key layout in Redis; 503 `Starting` before, 503 `draining` for `GATEWAY_DRAIN_SECONDS` after SIGTERM.",
                    "responses": ["200": jsonResponse("Ready.", ["type": "object"]), "503": jsonResponse("Not ready.", ref("HTTPError"))],
                ], isPublic: true)
        ]
        paths["/workers"] = [
            "get": operation(
                "listWorkers", "Live workers",
                [
                    "description":
                        "The worker registry: each live worker's id, host, version, start, concurrency, tasks in flight, last claim and whether it drains.",
                    "responses": ["200": jsonResponse("The workers.", ["type": "object"]), "503": unavailable],
                ])
        ]
        paths["/metrics"] = [
            "get": operation(
                "getMetrics", "Prometheus metrics",
                [
                    "description": "This gateway's metrics and gauges read from Redis, in Prometheus's text format.",
                    "responses": [
                        "200": ["description": "Prometheus text.", "content": ["text/plain": ["schema": ["type": "string"]]]],
                        "503": unavailable,
                    ],
                ])
        ]
        paths["/workflows/{workflow_id}/events"] = [
            "get": operation(
                "getWorkflowEvents", "A workflow's live events (Server-Sent Events)",
                [
                    "description":
                        "Every lifecycle and token event of the workflow (API.md §6), replayed from the start or after `Last-Event-ID`, then live, with comment heartbeats; the stream ends after the terminal event.",
                    "parameters": .array([workflowID] + lastEventID),
                    "responses": ["200": eventStream("The event stream."), "404": notFound, "422": invalid, "503": unavailable],
                ])
        ]
        paths["/events"] = [
            "get": operation(
                "getEvents", "Every workflow's lifecycle events (Server-Sent Events)",
                [
                    "description":
                        "The cluster-wide stream of workflow and task lifecycle events (no tokens), starting with the last 100 of each shard unless resumed.",
                    "parameters": .array(
                        lastEventID + [
                            ["name": "status", "in": "query", "required": false, "schema": ["type": "string"]],
                            [
                                "name": "workflow_type", "in": "query", "required": false,
                                "schema": ["type": "string", "enum": ["sequential", "parallel", "graph"]],
                            ],
                        ]),
                    "responses": ["200": eventStream("The event stream."), "422": invalid, "503": unavailable],
                ])
        ]
        paths["/ws"] = [
            "get": operation(
                "getEventsWebSocket", "Live events over a WebSocket",
                [
                    "description":
                        "Upgrade to a WebSocket, then send `{\"subscribe\": \"<workflow_id>\", \"last_event_id\": null}` or `{\"subscribe\": \"*\"}` (and `{\"unsubscribe\": …}`); each event arrives as a JSON text message with its `id` and `subscription`. With `API_KEY`, send `X-API-Key` or `?api_key=`; without it the socket closes with 1008.",
                    "responses": ["101": ["description": "Switching to the WebSocket protocol."]],
                ])
        ]
        // One path per pattern, so each body schema says exactly which parameters it takes.
        for pattern in WorkflowPatterns.all {
            var body = pattern.parametersSchema.objectValue ?? [:]
            var properties = body["properties"]?.objectValue ?? [:]
            properties["workflow_id"] = [
                "type": "string", "pattern": .string(IdentifierSyntax.pattern), "maxLength": .int(Int64(IdentifierSyntax.maxLength)),
                "description": "Generated (UUID v4) when absent.",
            ]
            properties["metadata"] = ["type": "object", "default": [:], "description": "Stored with the workflow."]
            body["properties"] = .object(properties)
            paths["/patterns/\(pattern.name)"] = [
                "post": operation(
                    "runPattern_\(String(pattern.name.map { $0 == "-" ? "_" : $0 }))", "Run the \(pattern.name) pattern",
                    [
                        "description": .string(
                            pattern.description
                                + " The body holds the pattern's parameters; the workflow is submitted as by `POST /run-graph`."),
                        "requestBody": ["required": true, "content": ["application/json": ["schema": .object(body)]]],
                        "responses": [
                            "200": jsonResponse("The new workflow, `pending`.", ref("WorkflowStatus")),
                            "409": jsonResponse("`Workflow {id} already exists`.", ref("HTTPError")), "422": invalid, "503": unavailable,
                        ],
                    ])
            ]
        }
        return paths
    }
}
