/// `spark.connect.ExecutePlanResponse.ExecutionProgress`: task counts of the stages running a query.
///
/// Spark sends one now and then while a query runs (and not at all for quick ones).
package struct ExecutionProgress: Sendable, Equatable {
    /// `ExecutionProgress.StageInfo`.
    package struct Stage: Sendable, Equatable {
        package var stageID: Int64 = 0
        package var taskCount: Int64 = 0
        package var completedTaskCount: Int64 = 0
        package var inputBytesRead: Int64 = 0
        package var isDone = false

        package init(stageID: Int64 = 0, taskCount: Int64 = 0, completedTaskCount: Int64 = 0, inputBytesRead: Int64 = 0, isDone: Bool = false) {
            self.stageID = stageID
            self.taskCount = taskCount
            self.completedTaskCount = completedTaskCount
            self.inputBytesRead = inputBytesRead
            self.isDone = isDone
        }

        init(reading reader: ProtobufReader) throws {
            var reader = reader
            let name = "ExecutionProgress.StageInfo"
            while let field = try reader.nextField() {
                switch field.number {
                case 1: stageID = try field.int64(in: name)
                case 2: taskCount = try field.int64(in: name)
                case 3: completedTaskCount = try field.int64(in: name)
                case 4: inputBytesRead = try field.int64(in: name)
                case 5: isDone = try field.bool(in: name)
                default: continue
                }
            }
        }
    }

    package var stages: [Stage] = []
    package var inflightTaskCount: Int64 = 0

    package init(stages: [Stage] = [], inflightTaskCount: Int64 = 0) {
        self.stages = stages
        self.inflightTaskCount = inflightTaskCount
    }

    package init(reading reader: ProtobufReader) throws {
        var reader = reader
        let name = "ExecutePlanResponse.ExecutionProgress"
        while let field = try reader.nextField() {
            switch field.number {
            case 1: stages.append(try Stage(reading: field.nested(in: name)))
            case 2: inflightTaskCount = try field.int64(in: name)
            default: continue
            }
        }
    }

    /// Completed over total tasks of all stages, 0...1; nil before any stage has tasks.
    package var fractionDone: Double? {
        let total = stages.reduce(Int64(0)) { $0 + $1.taskCount }
        guard total > 0 else { return nil }
        return Double(stages.reduce(Int64(0)) { $0 + $1.completedTaskCount }) / Double(total)
    }
}
