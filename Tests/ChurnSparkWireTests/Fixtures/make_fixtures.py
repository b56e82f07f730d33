"""Writes the protobuf byte fixtures of the SparkConnectWire tests with pyspark's generated modules.

Run from this folder with an interpreter that has pyspark 4.x:
    python3 make_fixtures.py
The outputs are committed; rerun only when a message or a field changes.
"""
import warnings

warnings.filterwarnings("ignore")

from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from pyspark.sql.connect.proto import base_pb2

SESSION = "00112233-4455-4677-8899-aabbccddeeff"
OPERATION = "0f1e2d3c-4b5a-4968-8776-655443322110"
SERVER_SESSION = "99999999-8888-4777-a666-555555555555"


def write(name, message):
    with open(name + ".bin", "wb") as f:
        f.write(message.SerializeToString())


user = base_pb2.UserContext(user_id="analyst", user_name="Ana Lyst")

# ExecutePlanRequest with every field the client sets.
full = base_pb2.ExecutePlanRequest(
    session_id=SESSION,
    user_context=user,
    client_type="churncube/0.1",
    operation_id=OPERATION,
    tags=["churncube", "q1"],
    client_observed_server_side_session_id=SERVER_SESSION,
)
full.plan.root.sql.query = "SELECT region, count(*) FROM t GROUP BY region -- é"
full.request_options.append(
    base_pb2.ExecutePlanRequest.RequestOption(reattach_options=base_pb2.ReattachOptions(reattachable=False))
)
write("execute_plan_request_full", full)

minimal = base_pb2.ExecutePlanRequest(session_id=SESSION, user_context=base_pb2.UserContext(user_id="u"))
minimal.plan.root.sql.query = "SELECT 1"
write("execute_plan_request_minimal", minimal)

reattachable = base_pb2.ExecutePlanRequest(session_id=SESSION, user_context=base_pb2.UserContext(user_id="u"))
reattachable.plan.root.sql.query = "SELECT 1"
reattachable.request_options.append(
    base_pb2.ExecutePlanRequest.RequestOption(reattach_options=base_pb2.ReattachOptions(reattachable=True))
)
write("execute_plan_request_reattachable", reattachable)

# A long query: its length needs a multi-byte varint.
long_query = base_pb2.ExecutePlanRequest(session_id=SESSION, user_context=base_pb2.UserContext(user_id="u"))
long_query.plan.root.sql.query = "SELECT " + ", ".join(f"{i} AS c{i}" for i in range(3000))
write("execute_plan_request_long", long_query)

analyze = base_pb2.AnalyzePlanRequest(
    session_id=SESSION, user_context=user, client_type="churncube/0.1",
    client_observed_server_side_session_id=SERVER_SESSION,
)
analyze.spark_version.SetInParent()
write("analyze_spark_version_request", analyze)

analyze_response = base_pb2.AnalyzePlanResponse(session_id=SESSION, server_side_session_id=SERVER_SESSION)
analyze_response.spark_version.version = "4.3.0"
write("analyze_spark_version_response", analyze_response)

interrupt = base_pb2.InterruptRequest(
    session_id=SESSION, user_context=user, client_type="churncube/0.1",
    interrupt_type=base_pb2.InterruptRequest.INTERRUPT_TYPE_OPERATION_ID,
    operation_id=OPERATION, client_observed_server_side_session_id=SERVER_SESSION,
)
write("interrupt_request", interrupt)

write("interrupt_response", base_pb2.InterruptResponse(
    session_id=SESSION, server_side_session_id=SERVER_SESSION, interrupted_ids=[OPERATION, "other"]))

write("release_session_request", base_pb2.ReleaseSessionRequest(
    session_id=SESSION, user_context=user, client_type="churncube/0.1"))

# Responses as the server sends them, with fields the client does not read (metrics, schema,
# observed metrics) so that skipping unknown fields is exercised.
arrow = base_pb2.ExecutePlanResponse(
    session_id=SESSION, server_side_session_id=SERVER_SESSION, operation_id=OPERATION, response_id="r-1",
)
arrow.arrow_batch.row_count = 3_000_000_000
arrow.arrow_batch.data = bytes(range(256)) * 3
arrow.arrow_batch.start_offset = 0
arrow.observed_metrics.add(name="m")
write("execute_plan_response_arrow", arrow)

schema_only = base_pb2.ExecutePlanResponse(session_id=SESSION, operation_id=OPERATION, response_id="r-0")
schema_only.schema.struct.fields.add(name="a").data_type.integer.SetInParent()
write("execute_plan_response_schema", schema_only)

metrics = base_pb2.ExecutePlanResponse(session_id=SESSION, operation_id=OPERATION, response_id="r-2")
metric = metrics.metrics.metrics.add(name="Project", plan_id=7, parent=0)
metric.execution_metrics["numOutputRows"].CopyFrom(
    base_pb2.ExecutePlanResponse.Metrics.MetricValue(name="rows", value=12, metric_type="sum"))
write("execute_plan_response_metrics", metrics)

progress = base_pb2.ExecutePlanResponse(session_id=SESSION, operation_id=OPERATION, response_id="r-3")
progress.execution_progress.num_inflight_tasks = 2
progress.execution_progress.stages.add(stage_id=4, num_tasks=10, num_completed_tasks=7, input_bytes_read=1 << 40, done=False)
progress.execution_progress.stages.add(stage_id=5, num_tasks=2, num_completed_tasks=2, input_bytes_read=0, done=True)
write("execute_plan_response_progress", progress)

complete = base_pb2.ExecutePlanResponse(session_id=SESSION, operation_id=OPERATION, response_id="r-4")
complete.result_complete.SetInParent()
write("execute_plan_response_complete", complete)

command = base_pb2.ExecutePlanResponse(session_id=SESSION, operation_id=OPERATION, response_id="r-5")
command.sql_command_result.relation.sql.query = "SHOW TABLES"
write("execute_plan_response_command", command)

# The google.rpc.Status Spark puts in grpc-status-details-bin.
info = error_details_pb2.ErrorInfo(reason="org.apache.spark.sql.AnalysisException", domain="org.apache.spark")
info.metadata["errorClass"] = "TABLE_OR_VIEW_NOT_FOUND"
info.metadata["sqlState"] = "42P01"
info.metadata["errorId"] = "e-1"
info.metadata["messageParameters"] = '{"relationName":"`nope`"}'
detail = any_pb2.Any()
detail.Pack(info)
other = any_pb2.Any(type_url="type.googleapis.com/google.rpc.DebugInfo", value=b"\x0a\x03abc")
write("google_rpc_status", status_pb2.Status(
    code=13, message="[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found.", details=[other, detail]))
