/// The order of A/B rounds: A B B A, repeated, so a trend over time (a machine warming up, another
/// job starting) weighs on both sides alike. Rounds 2k and 2k+1 form pair k.
public enum ABSchedule {
    /// `true` for an A round, `false` for B, for `rounds` rounds.
    public static func order(rounds: Int) -> [Bool] {
        (0..<rounds).map { [true, false, false, true][$0 % 4] }
    }
}
