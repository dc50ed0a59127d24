"""The table of resource kinds the sandbox serves: paths, SID prefixes, parents, fields, uniqueness, filters.

Field names, list keys and enums follow Twilio's OpenAPI files; the generic handlers in ``crud`` serve all of
them, and the hooks in the per-product modules add what Twilio does beyond storing fields.
"""

from __future__ import annotations

from deh_deploy.channels.definition import ADDRESS_TYPES
from deh_deploy.sandbox.errors import UNVERIFIED_CONFLICT
from deh_deploy.sandbox.model import Field as F
from deh_deploy.sandbox.model import Kind, Op, Unique

RO = ""  # the form key of a read-only field
READ: frozenset[Op] = frozenset({"list", "fetch"})
NO_UPDATE: frozenset[Op] = frozenset({"list", "create", "fetch", "delete"})
POST = ("GET", "POST")
WS = (("taskrouter.workspace", "workspace_sid"),)
ZS = (("serverless.service", "service_sid"),)
ZE = (*ZS, ("serverless.environment", "environment_sid"))
CH = (("conversations.conversation", "conversation_sid"),)
CONVERSATION_STATES = ("initializing", "inactive", "active", "closed")
STATS = (
    ("statistics", "/Statistics"),
    ("real_time_statistics", "/RealTimeStatistics"),
    ("cumulative_statistics", "/CumulativeStatistics"),
)


def _dup(what: str) -> str:
    return what + " named {friendly_name} already exists for workspace {parent} for account {account}"


# fmt: off
KINDS: tuple[Kind, ...] = (
    # ---- api 2010 -----------------------------------------------------------------------------------
    Kind(
        "api.incoming_number", "api", "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers", "PN",
        "incoming_phone_numbers",
        style="2010",
        fields=(
            F("friendly_name", max_len=64), F("phone_number", create_only=True), F("voice_url"),
            F("voice_method", default="POST", choices=POST), F("voice_fallback_url"),
            F("voice_fallback_method", default="POST", choices=POST),
            F("voice_caller_id_lookup", "bool", False), F("voice_application_sid"),
            F("voice_receive_mode", default="voice", choices=("voice", "fax")), F("sms_url"),
            F("sms_method", default="POST", choices=POST), F("sms_fallback_url"),
            F("sms_fallback_method", default="POST", choices=POST), F("sms_application_sid"),
            F("status_callback"), F("status_callback_method", default="POST", choices=POST),
            F("api_version", default="2010-04-01"), F("trunk_sid"), F("identity_sid"), F("address_sid"),
            F("bundle_sid"), F("emergency_status", default="Inactive", choices=("Active", "Inactive")),
            F("emergency_address_sid"), F("address_requirements", default="none", form=RO),
            F("beta", "bool", False, form=RO), F("capabilities", "any", form=RO),
            F("origin", default="twilio", form=RO), F("status", default="in-use", form=RO),
            F("type", default="local", form=RO),
            F("emergency_address_status", default="unregistered", form=RO),
        ),
        filters=(("FriendlyName", "friendly_name"), ("PhoneNumber", "phone_number~")),
        links=(("assigned_add_ons", "/AssignedAddOns"),),
    ),
    # ---- studio v2 ----------------------------------------------------------------------------------
    Kind(
        "studio.flow", "studio", "/v2/Flows", "FW", "flows",
        fields=(
            F("friendly_name", required=True), F("status", required=True, choices=("draft", "published")),
            F("definition", "json", required=True), F("commit_message"), F("author_sid", form=RO),
            F("revision", "int", 1, form=RO), F("valid", "bool", True, form=RO),
            F("errors", "any", [], form=RO), F("warnings", "any", [], form=RO), F("webhook_url", form=RO),
        ),
        links=(("test_users", "/TestUsers"), ("revisions", "/Revisions"), ("executions", "/Executions")),
        list_hides=("definition",),
    ),
    # ---- taskrouter v1 ------------------------------------------------------------------------------
    Kind(
        "taskrouter.workspace", "taskrouter", "/v1/Workspaces", "WS", "workspaces",
        fields=(
            F("friendly_name", required=True, max_len=64), F("event_callback_url"), F("events_filter"),
            F("multi_task_enabled", "bool", True),
            F("prioritize_queue_order", default="FIFO", choices=("FIFO", "LIFO")),
            F("default_activity_sid", create_only=False), F("default_activity_name", form=RO),
            F("timeout_activity_sid"), F("timeout_activity_name", form=RO),
        ),
        filters=(("FriendlyName", "friendly_name"),),
        links=(
            ("activities", "/Activities"), ("task_queues", "/TaskQueues"), ("workers", "/Workers"),
            ("workflows", "/Workflows"), ("tasks", "/Tasks"), ("task_channels", "/TaskChannels"),
            ("events", "/Events"), *STATS,
        ),
    ),
    Kind(
        "taskrouter.activity", "taskrouter", "/v1/Workspaces/{WorkspaceSid}/Activities", "WA", "activities",
        parents=WS,
        fields=(
            F("friendly_name", required=True, max_len=64), F("available", "bool", False, create_only=True),
        ),
        unique=(Unique(("friendly_name",), 400, 20001, _dup("Activity")),),
        filters=(("FriendlyName", "friendly_name"), ("Available", "available")),
    ),
    Kind(
        "taskrouter.task_queue", "taskrouter", "/v1/Workspaces/{WorkspaceSid}/TaskQueues", "WQ",
        "task_queues",
        parents=WS,
        fields=(
            F("friendly_name", required=True, max_len=64), F("target_workers", default="1==1"),
            F("max_reserved_workers", "int", 1), F("task_order", default="FIFO", choices=("FIFO", "LIFO")),
            F("reservation_activity_sid"), F("reservation_activity_name", form=RO),
            F("assignment_activity_sid"), F("assignment_activity_name", form=RO),
        ),
        unique=(Unique(("friendly_name",), 400, 20001, _dup("Queue")),),
        filters=(("FriendlyName", "friendly_name"),),
        links=STATS,
    ),
    Kind(
        "taskrouter.workflow", "taskrouter", "/v1/Workspaces/{WorkspaceSid}/Workflows", "WW", "workflows",
        parents=WS,
        fields=(
            F("friendly_name", required=True, max_len=64), F("configuration", required=True),
            F("assignment_callback_url"), F("fallback_assignment_callback_url"),
            F("task_reservation_timeout", "int", 120),
            F("document_content_type", default="application/json", form=RO),
        ),
        filters=(("FriendlyName", "friendly_name"),),
        links=STATS,
    ),
    Kind(
        "taskrouter.task_channel", "taskrouter", "/v1/Workspaces/{WorkspaceSid}/TaskChannels", "TC",
        "channels",
        parents=WS,
        fields=(
            F("friendly_name", required=True, max_len=64), F("unique_name", required=True, create_only=True),
            F("channel_optimized_routing", "bool", False),
        ),
        unique=(
            Unique(("unique_name",), 400, 20001, "TaskChannel with UniqueName {unique_name} already exists"),
        ),
        alt_key="unique_name",
    ),
    Kind(
        "taskrouter.worker", "taskrouter", "/v1/Workspaces/{WorkspaceSid}/Workers", "WK", "workers",
        parents=WS,
        fields=(
            F("friendly_name", required=True, max_len=64), F("activity_sid"), F("attributes", default="{}"),
            F("activity_name", form=RO), F("available", "bool", False, form=RO),
            F("date_status_changed", form=RO),
        ),
        unique=(Unique(("friendly_name",), 400, 20001, _dup("Worker")),),
        filters=(
            ("FriendlyName", "friendly_name"), ("ActivitySid", "activity_sid"),
            ("ActivityName", "activity_name"), ("Available", "available"),
        ),
        links=(
            ("channels", "/Channels"), ("reservations", "/Reservations"),
            ("worker_statistics", "/Statistics"),
        ),
    ),
    Kind(
        "taskrouter.event", "taskrouter", "/v1/Workspaces/{WorkspaceSid}/Events", "EV", "events",
        parents=WS, ops=READ,
        fields=(
            F("actor_sid", form=RO), F("actor_type", form=RO), F("actor_url", form=RO),
            F("description", form=RO), F("event_data", "any", {}, form=RO), F("event_date", form=RO),
            F("event_date_ms", "int", form=RO), F("event_type", form=RO), F("resource_sid", form=RO),
            F("resource_type", form=RO), F("resource_url", form=RO), F("source", "str", "Twilio", form=RO),
            F("source_ip_address", form=RO),
        ),
        filters=(
            ("EventType", "event_type"), ("Sid", "sid"), ("TaskSid", "event_data.task_sid"),
            ("ReservationSid", "event_data.reservation_sid"), ("WorkerSid", "event_data.worker_sid"),
            ("WorkflowSid", "event_data.workflow_sid"), ("TaskQueueSid", "event_data.task_queue_sid"),
            ("TaskChannel", "event_data.task_channel_unique_name"),
        ),
        dates=(),
    ),
    # ---- serverless v1 ------------------------------------------------------------------------------
    Kind(
        "serverless.service", "serverless", "/v1/Services", "ZS", "services",
        fields=(
            F("unique_name", required=True, create_only=True, max_len=50),
            F("friendly_name", required=True, max_len=255), F("include_credentials", "bool", True),
            F("ui_editable", "bool", False), F("domain_base", form=RO),
        ),
        unique=(
            Unique(
                ("unique_name",), 409, UNVERIFIED_CONFLICT,
                "Service with UniqueName {unique_name} already exists",
            ),
        ),
        links=(
            ("functions", "/Functions"), ("assets", "/Assets"), ("environments", "/Environments"),
            ("builds", "/Builds"),
        ),
        alt_key="unique_name",
    ),
    Kind(
        "serverless.environment", "serverless", "/v1/Services/{ServiceSid}/Environments", "ZE",
        "environments",
        parents=ZS,
        ops=NO_UPDATE,
        fields=(
            F("unique_name", required=True, max_len=100), F("domain_suffix", max_len=16),
            F("build_sid", form=RO), F("domain_name", form=RO),
        ),
        unique=(
            Unique(
                ("unique_name", "domain_suffix"), 409, UNVERIFIED_CONFLICT,
                "Environment with this UniqueName or DomainSuffix already exists.",
            ),
        ),
        links=(("variables", "/Variables"), ("deployments", "/Deployments"), ("logs", "/Logs")),
        alt_key="unique_name",
    ),
    Kind(
        "serverless.function", "serverless", "/v1/Services/{ServiceSid}/Functions", "ZH", "functions",
        parents=ZS,
        fields=(F("friendly_name", required=True, max_len=255),),
        links=(("function_versions", "/Versions"),),
    ),
    Kind(
        "serverless.asset", "serverless", "/v1/Services/{ServiceSid}/Assets", "ZH", "assets",
        parents=ZS,
        fields=(F("friendly_name", required=True, max_len=255),),
        links=(("asset_versions", "/Versions"),),
    ),
    Kind(
        "serverless.function_version", "serverless",
        "/v1/Services/{ServiceSid}/Functions/{FunctionSid}/Versions", "ZN", "function_versions",
        parents=(*ZS, ("serverless.function", "function_sid")),
        ops=READ,
        fields=(F("path", form=RO), F("visibility", form=RO)),
        dates=("date_created",),
        links=(("function_version_content", "/Content"),),
    ),
    Kind(
        "serverless.asset_version", "serverless", "/v1/Services/{ServiceSid}/Assets/{AssetSid}/Versions",
        "ZN", "asset_versions",
        parents=(*ZS, ("serverless.asset", "asset_sid")),
        ops=READ,
        fields=(F("path", form=RO), F("visibility", form=RO)),
        dates=("date_created",),
    ),
    Kind(
        "serverless.build", "serverless", "/v1/Services/{ServiceSid}/Builds", "ZB", "builds",
        parents=ZS,
        ops=NO_UPDATE,
        fields=(
            F("function_versions", "list", []), F("asset_versions", "list", []),
            F("dependencies", "json", []),
            F(
                "runtime", default="node22",
                choices=tuple(f"node{v}" for v in (8, 10, 12, 14, 16, 18, 20, 22)),
            ), F("status", default="building", form=RO),
        ),
        links=(("build_status", "/Status"),),
    ),
    Kind(
        "serverless.deployment", "serverless",
        "/v1/Services/{ServiceSid}/Environments/{EnvironmentSid}/Deployments", "ZD", "deployments",
        parents=ZE,
        ops=frozenset({"list", "create", "fetch"}),
        fields=(F("build_sid", required=True),),
    ),
    Kind(
        "serverless.variable", "serverless",
        "/v1/Services/{ServiceSid}/Environments/{EnvironmentSid}/Variables", "ZV", "variables",
        parents=ZE,
        # Key at most 128 characters, Value at most 450 bytes (twilio_serverless_v1.json, CreateVariable).
        fields=(F("key", required=True, max_len=128), F("value", required=True, max_bytes=450)),
        unique=(Unique(("key",), 409, UNVERIFIED_CONFLICT, "Variable with Key {key} already exists"),),
    ),
    # ---- content v1 ---------------------------------------------------------------------------------
    Kind(
        "content.content", "content", "/v1/Content", "HX", "contents",
        body="json",
        update_method="PUT",
        fields=(
            F("friendly_name"), F("language", required=True), F("variables", "any", {}),
            F("types", "any", required=True),
        ),
        links=(("approval_fetch", "/ApprovalRequests"), ("approval_create", "/ApprovalRequests/whatsapp")),
    ),
    # ---- messaging v1 -------------------------------------------------------------------------------
    Kind(
        "messaging.service", "messaging", "/v1/Services", "MG", "services",
        fields=(
            F("friendly_name", required=True, max_len=64), F("inbound_request_url"),
            F("inbound_method", default="POST", choices=POST), F("fallback_url"),
            F("fallback_method", default="POST", choices=POST), F("status_callback"),
            F("sticky_sender", "bool", True), F("mms_converter", "bool", True),
            F("smart_encoding", "bool", True),
            F("scan_message_content", default="inherit", choices=("inherit", "enable", "disable")),
            F("fallback_to_long_code", "bool", True), F("area_code_geomatch", "bool", True),
            F("synchronous_validation", "bool", False), F("validity_period", "int", 14400),
            F("usecase", default="undeclared"), F("use_inbound_webhook_on_number", "bool", False),
            F("us_app_to_person_registered", "bool", False, form=RO),
        ),
        links=(
            ("phone_numbers", "/PhoneNumbers"), ("short_codes", "/ShortCodes"),
            ("alpha_senders", "/AlphaSenders"), ("channel_senders", "/ChannelSenders"),
            ("us_app_to_person", "/Compliance/Usa2p"),
        ),
    ),
    Kind(
        "messaging.phone_number", "messaging", "/v1/Services/{ServiceSid}/PhoneNumbers", "PN",
        "phone_numbers",
        parents=(("messaging.service", "service_sid"),),
        ops=NO_UPDATE,
        fields=(
            F("_phone_number_sid", required=True, form="PhoneNumberSid"), F("phone_number", form=RO),
            F("country_code", form=RO), F("capabilities", "any", [], form=RO),
        ),
    ),
    # ---- conversations v1 ---------------------------------------------------------------------------
    Kind(
        "conversations.address", "conversations", "/v1/Configuration/Addresses", "IG",
        "address_configurations",
        fields=(
            F(
                "type", required=True, create_only=True,
                choices=ADDRESS_TYPES,
            ), F("address", required=True, create_only=True), F("friendly_name", max_len=256),
            F("address_country", create_only=True), F("auto_creation.enabled", "bool", False),
            F("auto_creation.type", choices=("webhook", "studio", "default")),
            F("auto_creation.conversation_service_sid"), F("auto_creation.webhook_url"),
            F("auto_creation.webhook_method", choices=POST), F("auto_creation.webhook_filters", "list"),
            F("auto_creation.studio_flow_sid"), F("auto_creation.studio_retry_count", "int"),
        ),
        unique=(
            Unique(
                ("type", "address"), 409, UNVERIFIED_CONFLICT, "Address {address} is already configured",
                mode="all",
            ),
        ),
        filters=(("Type", "type"),),
        alt_key="address",
    ),
    Kind(
        "conversations.conversation", "conversations", "/v1/Conversations", "CH", "conversations",
        fields=(
            F("friendly_name", max_len=256), F("unique_name", max_len=256), F("attributes", default="{}"),
            F("messaging_service_sid"), F("state", default="active", choices=CONVERSATION_STATES),
            F("timers.inactive"), F("timers.closed"), F("chat_service_sid", form=RO),
            F("bindings", "any", form=RO),
        ),
        unique=(
            Unique(
                ("unique_name",), 409, 50353, "Conversation with provided unique name already exists",
                skip_empty=True,
            ),
        ),
        links=(("participants", "/Participants"), ("messages", "/Messages"), ("webhooks", "/Webhooks")),
        alt_key="unique_name",
    ),
    Kind(
        "conversations.participant", "conversations", "/v1/Conversations/{ConversationSid}/Participants",
        "MB", "participants",
        parents=CH,
        fields=(
            F("identity", create_only=True, max_len=1024), F("attributes", default="{}"), F("role_sid"),
            F("messaging_binding.address", create_only=True),
            F("messaging_binding.proxy_address", create_only=True),
            F("messaging_binding.projected_address", create_only=True),
            F("last_read_message_index", "int"), F("last_read_timestamp"),
        ),
        unique=(
            Unique(("identity",), 409, 50433, "Participant already exists", skip_empty=True),
        ),
    ),
    Kind(
        "conversations.message", "conversations", "/v1/Conversations/{ConversationSid}/Messages", "IM",
        "messages",
        parents=CH,
        fields=(
            F("author", default="system"), F("body", max_len=1600), F("attributes", default="{}"),
            F("_media_sid", form="MediaSid"), F("content_sid"), F("_content_variables", form="ContentVariables"),
            F("index", "int", 0, form=RO), F("media", "any", form=RO), F("participant_sid", form=RO),
            F("delivery", "any", form=RO),
        ),
        links=(("delivery_receipts", "/Receipts"), ("channel_metadata", "/ChannelMetadata")),
    ),
    Kind(
        "conversations.webhook", "conversations", "/v1/Conversations/{ConversationSid}/Webhooks", "WH",
        "webhooks",
        parents=CH,
        fields=(
            F("target", required=True, create_only=True, choices=("webhook", "trigger", "studio")),
            F("configuration.url"), F("configuration.method", choices=("get", "post")),
            F("configuration.filters", "list"), F("configuration.triggers", "list"),
            F("configuration.flow_sid"), F("configuration.replay_after", "int"),
        ),
    ),
    # ---- the Media Content Service (no OpenAPI file; read by a route of its own in ``conversations``) -------
    Kind(
        "mcs.media", "mcs", "/v1/Media", "ME", "media",
        ops=frozenset(),
        fields=(
            F("service_sid", form=RO), F("content_type", form=RO), F("filename", form=RO),
            F("size", "int", 0, form=RO),
        ),
        dates=("date_created",),
    ),
    # ---- flex v1 ------------------------------------------------------------------------------------
    Kind(
        "flex.flex_flow", "flex-api", "/v1/FlexFlows", "FO", "flex_flows",
        fields=(
            F("friendly_name", required=True), F("chat_service_sid", required=True),
            F(
                "channel_type", required=True,
                choices=("web", "sms", "facebook", "whatsapp", "line", "custom"),
            ), F("contact_identity"), F("enabled", "bool", True),
            F("integration_type", choices=("studio", "external", "task")), F("integration.flow_sid"),
            F("integration.url"), F("integration.workspace_sid"), F("integration.workflow_sid"),
            F("integration.channel"), F("integration.timeout", "int"), F("integration.priority", "int"),
            F("integration.creation_on_message", "bool"), F("integration.retry_count", "int"),
            F("long_lived", "bool", False), F("janitor_enabled", "bool", False),
        ),
        filters=(("FriendlyName", "friendly_name"),),
    ),
    Kind(
        "flex.web_channel", "flex-api", "/v1/WebChannels", "CH", "flex_chat_channels",
        fields=(
            F("flex_flow_sid", required=True, create_only=True),
            F("_identity", required=True, form="Identity"),
            F("_customer_friendly_name", required=True, form="CustomerFriendlyName"),
            F("_chat_friendly_name", required=True, form="ChatFriendlyName"),
            F("_chat_unique_name", form="ChatUniqueName"),
            F("_pre_engagement_data", form="PreEngagementData"),
            F("_chat_status", form="ChatStatus", choices=("inactive",)),
            F("_post_engagement_data", form="PostEngagementData"),
        ),
    ),
    # ---- messaging v2: the Senders API (twilio_messaging_v2.json, not among the copied specs) ---------
    Kind(
        "messaging.channels_sender", "messaging", "/v2/Channels/Senders", "XE", "senders",
        ops=READ,
        fields=(
            F("sender_id", form=RO), F("status", default="ONLINE", form=RO), F("friendly_name", form=RO),
        ),
        filters=(("Channel", "_channel"),),
        dates=(),
    ),
    # ---- numbers v2 ---------------------------------------------------------------------------------
    Kind(
        "numbers.bundle", "numbers", "/v2/RegulatoryCompliance/Bundles", "BU", "results",
        ops=READ,
        fields=(
            F("regulation_sid", form=RO), F("friendly_name", form=RO), F("status", default="draft", form=RO),
            F("valid_until", form=RO), F("email", form=RO), F("status_callback", form=RO),
        ),
        filters=(
            ("Status", "status"), ("FriendlyName", "friendly_name"), ("RegulationSid", "regulation_sid"),
            ("IsoCountry", "_iso_country"), ("NumberType", "_number_type"), ("EndUserType", "_end_user_type"),
        ),
        links=(
            ("evaluations", "/Evaluations"), ("item_assignments", "/ItemAssignments"),
            ("bundle_copies", "/Copies"),
        ),
    ),
    Kind(
        "numbers.regulation", "numbers", "/v2/RegulatoryCompliance/Regulations", "RN", "results",
        ops=READ,
        fields=(
            F("friendly_name", form=RO), F("iso_country", form=RO), F("number_type", form=RO),
            F("end_user_type", default="business", form=RO), F("requirements", "any", {}, form=RO),
        ),
        filters=(
            ("IsoCountry", "iso_country"), ("NumberType", "number_type"), ("EndUserType", "end_user_type"),
        ),
        dates=(),
    ),
)
# fmt: on

BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
