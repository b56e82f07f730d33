/// The fields every Spark Connect request repeats: session, user, client type and the
/// server-side session id seen so far.
///
/// Sending the observed server-side session id lets the server refuse a request after it has
/// restarted (error class `INVALID_HANDLE.SESSION_CHANGED`) instead of silently running it in a
/// fresh session that lacks the old temporary views.
package struct RequestHeader: Sendable, Equatable {
    package var sessionID: String
    package var userContext: UserContext
    package var clientType: String?
    package var observedServerSideSessionID: String?

    package init(sessionID: String, userContext: UserContext, clientType: String? = nil, observedServerSideSessionID: String? = nil) {
        self.sessionID = sessionID
        self.userContext = userContext
        self.clientType = clientType
        self.observedServerSideSessionID = observedServerSideSessionID
    }
}
