import Foundation

/// `journal.json`: a `DrillJournal` as pretty-printed JSON with sorted keys and ISO 8601 UTC dates with
/// milliseconds (`2025-03-04T10:00:14.250Z`). Dates round-trip exactly to the millisecond; non-finite
/// numbers are written as the strings `NaN`, `Infinity` and `-Infinity` and read back.
public enum JournalJSON {
    /// The journal as JSON.
    public static func encode(_ journal: DrillJournal) throws -> Data {
        try encoder().encode(journal)
    }

    /// A journal read from JSON written by `encode`.
    public static func decode(_ data: Data) throws -> DrillJournal {
        try decoder().decode(DrillJournal.self, from: data)
    }

    /// An encoder with the journal's conventions, for other types that embed journal dates.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        encoder.dateEncodingStrategy = .custom { date, encoder in
            guard let text = JournalDateFormat.string(from: date) else {
                throw EncodingError.invalidValue(date, EncodingError.Context(
                    codingPath: encoder.codingPath,
                    debugDescription: "not a representable date (\(date.timeIntervalSince1970) s since 1970)"))
            }
            var container = encoder.singleValueContainer()
            try container.encode(text)
        }
        return encoder
    }

    /// A decoder with the journal's conventions.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = JournalDateFormat.date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an ISO 8601 date such as 2025-03-04T10:00:14.250Z, got \"\(text)\"")
            }
            return date
        }
        return decoder
    }

    /// `2025-03-04T10:00:14.250Z`: the journal's date format (UTC, rounded to the millisecond);
    /// nil for a non-finite date.
    public static func string(from date: Date) -> String? {
        JournalDateFormat.string(from: date)
    }

    /// A date in the journal's format; offsets (`+02:00`) and any number of fraction digits are accepted.
    public static func date(from string: String) -> Date? {
        JournalDateFormat.date(from: string)
    }
}
