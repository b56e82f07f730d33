#if Spark
import GRPCCore

/// The `spark.connect.SparkConnectService` methods this client calls.
enum SparkConnectMethods {
    static let service = "spark.connect.SparkConnectService"
    static let executePlan = MethodDescriptor(fullyQualifiedService: service, method: "ExecutePlan", type: .serverStreaming)
    static let analyzePlan = MethodDescriptor(fullyQualifiedService: service, method: "AnalyzePlan", type: .unary)
    static let interrupt = MethodDescriptor(fullyQualifiedService: service, method: "Interrupt", type: .unary)
    static let releaseSession = MethodDescriptor(fullyQualifiedService: service, method: "ReleaseSession", type: .unary)
}
#endif
