using Hone.Artifacts;
using Hone.Studies;
using Hone.Trials;

namespace Hone.Population;

/// <summary>The next segment for a worker to train, decided from the study's trials (any process's).</summary>
/// <param name="Member">The member.</param>
/// <param name="Segment">The member's segment count: with <paramref name="Member"/>, what a worker claims.</param>
/// <param name="Generation">The training progress in intervals: the parent's plus one (a member that exploits takes its donor's).</param>
/// <param name="Parent">The segment whose checkpoint to start from.</param>
/// <param name="InternalParams">The hyperparameters, or null for the sampler to draw.</param>
/// <param name="ExploitedMember">The donor member, when exploiting.</param>
internal sealed record PbtPlan(int Member, int Segment, int Generation, FrozenTrial? Parent, IReadOnlyDictionary<string, double>? InternalParams, int? ExploitedMember);

/// <summary>
/// Decides what a free worker trains next (Jaderberg et al. 2017, asynchronous PBT): a member not started yet, else the
/// free member furthest behind. A member in the bottom quantile of the latest scores exploits a member of the top
/// quantile that has a checkpoint (its checkpoint and hyperparameters, then explored); any other continues from its own
/// last segment.
/// </summary>
internal static class PbtPlanner
{
    public enum Outcome
    {
        /// <summary>A segment to train.</summary>
        Train,

        /// <summary>Nothing free now; members are training elsewhere.</summary>
        Wait,

        /// <summary>Every member finished (or was given up).</summary>
        Done,
    }

    public static Outcome Plan(Study study, IReadOnlyList<FrozenTrial> trials, int asking, PbtOptions options, Random rng, out PbtPlan? plan)
    {
        plan = null;
        var members = Members(trials, asking, options);
        var anyFree = false;
        MemberState? pick = null;
        foreach (var m in members)
        {
            if (m.Busy || m.Finished || m.GivenUp)
            {
                continue;
            }

            anyFree = true;
            if (pick is null || m.Progress < pick.Progress)
            {
                pick = m;
            }
        }

        if (!anyFree)
        {
            return members.Any(m => m.Busy) ? Outcome.Wait : Outcome.Done;
        }

        if (pick!.Latest is not { } own)
        {
            plan = new PbtPlan(pick.Id, pick.NextSegment, 0, null, null, null);
            return Outcome.Train;
        }

        var donor = Donor(study, members, pick, options, rng);
        plan = donor is null
            ? new PbtPlan(pick.Id, pick.NextSegment, pick.Progress + 1, own, own.InternalParams, null)
            : new PbtPlan(pick.Id, pick.NextSegment, donor.Progress + 1, donor.Latest,
                Explore(study, trials, members, donor, options, rng), donor.Id);
        return Outcome.Train;
    }

    /// <summary>The explored hyperparameters of a member that copies <paramref name="donor"/>.</summary>
    private static Dictionary<string, double> Explore(Study study, IReadOnlyList<FrozenTrial> trials, List<MemberState> members, MemberState donor, PbtOptions options, Random rng)
    {
        var from = donor.Latest!;
        if (options.Explore != PbtExploreMethod.Pb2)
        {
            return PbtExplorer.Explore(from.InternalParams, from.Distributions, options, rng);
        }

        var byNumber = new Dictionary<int, FrozenTrial>();
        foreach (var t in trials)
        {
            byNumber[t.Number] = t;
        }

        var running = new List<Pb2Explorer.Pending>();
        foreach (var m in members)
        {
            if (m.Running is { } t && PbtAttributes.Claim(t) is { } claim)
            {
                double? startScore = PbtAttributes.Int(t, PbtAttributes.ParentKey) is { } p && byNumber.TryGetValue(p, out var parent)
                    && parent.Values is { Count: 1 } v ? v[0] : null;
                running.Add(new Pb2Explorer.Pending(t, claim.Generation, startScore));
            }
        }

        return Pb2Explorer.Explore(trials, from, donor.Progress + 1, running, study.Direction == StudyDirection.Maximize, options, rng);
    }

    /// <summary>Ranks the members by the value of their latest finished segment; a bottom member gets a random top member with a checkpoint.</summary>
    private static MemberState? Donor(Study study, List<MemberState> members, MemberState member, PbtOptions options, Random rng)
    {
        var ranked = members.Where(m => m.Latest?.Values is { Count: 1 }).ToList();
        ranked.Sort((a, b) => a.Latest!.Values![0].CompareTo(b.Latest!.Values![0]));
        if (study.Direction == StudyDirection.Maximize)
        {
            ranked.Reverse();
        }

        // ranked is best first.
        var n = (int)Math.Ceiling(ranked.Count * options.Quantile);
        if (n > ranked.Count / 2)
        {
            n = ranked.Count / 2;
        }

        if (n == 0 || ranked.IndexOf(member) < ranked.Count - n)
        {
            return null;
        }

        // A donor behind the member would send it back in training (asynchronous members may be at different steps), and
        // a finished donor would send it past the end.
        var top = ranked.Take(n).Where(m => m != member && m.Progress >= member.Progress && m.Progress + 1 < options.Generations && CheckpointAttributes.ReadCheckpoints(m.Latest!).Count > 0).ToList();
        return top.Count == 0 ? null : top[rng.Next(top.Count)];
    }

    private static List<MemberState> Members(IReadOnlyList<FrozenTrial> trials, int asking, PbtOptions options)
    {
        var members = new MemberState[options.PopulationSize];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = new MemberState(i);
        }

        var failures = new Dictionary<(int, int), int>();
        foreach (var t in trials)
        {
            if (t.Number == asking || PbtAttributes.Claim(t) is not { } claim || claim.Member < 0 || claim.Member >= members.Length)
            {
                continue;
            }

            var m = members[claim.Member];
            switch (t.State)
            {
                case TrialState.Running or TrialState.Waiting:
                    m.Busy = true;
                    m.Running = t;
                    break;
                case TrialState.Complete when m.Latest is null || claim.Segment > m.LatestSegment:
                    m.Latest = t;
                    m.LatestSegment = claim.Segment;
                    m.Progress = claim.Generation;
                    break;
                case TrialState.Fail or TrialState.Pruned:
                    failures[(claim.Member, claim.Segment)] = failures.GetValueOrDefault((claim.Member, claim.Segment)) + 1;
                    break;
            }
        }

        foreach (var m in members)
        {
            m.Finished = m.Progress + 1 >= options.Generations;
            m.GivenUp = failures.GetValueOrDefault((m.Id, m.NextSegment)) >= options.MaxSegmentFailures;
        }

        return [.. members];
    }

    private sealed class MemberState(int id)
    {
        public int Id { get; } = id;

        public FrozenTrial? Latest { get; set; }

        public int LatestSegment { get; set; } = -1;

        public int NextSegment => LatestSegment + 1;

        /// <summary>The generation (training progress) of the latest complete segment, -1 before the first.</summary>
        public int Progress { get; set; } = -1;

        public bool Busy { get; set; }

        /// <summary>The member's segment training now, if any.</summary>
        public FrozenTrial? Running { get; set; }

        public bool Finished { get; set; }

        public bool GivenUp { get; set; }
    }
}
