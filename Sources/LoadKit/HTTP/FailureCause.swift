import NIOCore
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#endif

/// Why a request failed at the transport level, worded like Python's exceptions so Locust users recognise them.
enum FailureCause: Error, Sendable, Equatable {
    case connectionRefused
    case connectionReset
    case remoteDisconnected
    case incompleteRead
    case connectTimeout(Double)
    case readTimeout(Double)
    /// Still waiting for the response when the run ended and `stop_timeout` (seconds) ran out.
    case stopTimeout(Double)
    case protocolError(String)
    case tls(String)
    case nameResolution(String)
    case tooManyRedirects
    case other(String)

    var message: String {
        switch self {
        case .connectionRefused: return "ConnectionRefusedError: connection refused"
        case .connectionReset: return "ConnectionResetError: connection reset by peer"
        case .remoteDisconnected: return "RemoteDisconnected: server closed the connection without a response"
        case .incompleteRead: return "IncompleteRead: server closed the connection mid-response"
        case .connectTimeout(let s): return "ConnectTimeout: no connection within \(Self.seconds(s))"
        case .readTimeout(let s): return "ReadTimeout: no response within \(Self.seconds(s))"
        case .stopTimeout(let s):
            return "StopTimeout: still waiting for the response when the run stopped (stop_timeout \(Self.seconds(s)))"
        case .protocolError(let d): return "ProtocolError: \(d)"
        case .tls(let d): return "SSLError: \(d)"
        case .nameResolution(let d): return "NameResolutionError: \(d)"
        case .tooManyRedirects: return "TooManyRedirects: more than 10 redirects"
        case .other(let d): return d
        }
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s))s" : "\(s)s"
    }

    /// Classifies an error raised by NIO or NIOSSL.
    init(_ error: Error, connectTimeout: Double) {
        if let cause = error as? FailureCause {
            self = cause
        } else if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: self = .connectionRefused
            case ECONNRESET, EPIPE: self = .connectionReset
            case ETIMEDOUT: self = .connectTimeout(connectTimeout)
            case EHOSTUNREACH, ENETUNREACH: self = .other("OSError: host unreachable")
            default: self = .other("OSError: \(io.description)")
            }
        } else if let ch = error as? ChannelError {
            switch ch {
            case .connectTimeout: self = .connectTimeout(connectTimeout)
            case .eof, .ioOnClosedChannel, .alreadyClosed: self = .remoteDisconnected
            default: self = .other("ChannelError: \(ch)")
            }
        } else if let conn = error as? NIOConnectionError {
            if let first = conn.connectionErrors.first {
                self = FailureCause(first.error, connectTimeout: connectTimeout)
            } else if conn.dnsAAAAError != nil || conn.dnsAError != nil {
                self = .nameResolution("cannot resolve \(conn.host)")
            } else {
                self = .other("ConnectionError: \(conn.host):\(conn.port)")
            }
        } else if let ssl = error as? NIOSSLError {
            switch ssl {
            case .uncleanShutdown: self = .connectionReset
            default: self = .tls(String(describing: ssl))
            }
        } else if error is BoringSSLError {
            self = .tls(String(describing: error))
        } else if let p = error as? ResponseParser.Failure {
            self = .protocolError(String(describing: p))
        } else {
            self = .other("\(type(of: error)): \(error)")
        }
    }
}
