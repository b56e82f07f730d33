/// `spark.connect.UserContext`: who runs the request; the server keys sessions by (user_id, session_id).
package struct UserContext: Sendable, Equatable {
    package var userID: String
    package var userName: String

    package init(userID: String, userName: String = "") {
        self.userID = userID
        self.userName = userName
    }

    enum FieldNumber {
        static let userID = 1
        static let userName = 2
    }

    package func encode(into writer: inout ProtobufWriter) {
        writer.writeString(field: FieldNumber.userID, userID)
        writer.writeString(field: FieldNumber.userName, userName)
    }
}
