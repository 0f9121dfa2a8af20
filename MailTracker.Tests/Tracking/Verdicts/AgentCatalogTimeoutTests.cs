using MailTracker.Core.Tracking.Verdicts;

namespace MailTracker.Tests.Tracking.Verdicts;

/// <summary>
/// A pattern that backtracks badly on some agent (uap-core has shipped such patterns; the data can be refreshed) times
/// out after 200 ms and counts as no match, wherever it is in the catalog. An exception instead would fail the projector's
/// batch, which is read again and fails again: one recipient's crafted user agent would stop tracking for everyone.
/// </summary>
public class AgentCatalogTimeoutTests
{
    private const string Pathological = "(a+)+$";
    private static readonly string Agent = new string('a', 40) + "!";

    [Fact]
    public void APathologicalCuratedPatternIsNoMatchInsteadOfAnError()
    {
        var catalog = AgentCatalog.Load($"scanner\tslow\tMachine\t{Pathological}\tsource\n", """{"user_agent_parsers":[],"os_parsers":[],"spider_parsers":[]}""");

        Assert.Equal(AgentKind.Unknown, catalog.Classify(Agent).Kind);
    }

    [Fact]
    public void APathologicalSpiderPatternIsNoMatchInsteadOfAnError()
    {
        var catalog = AgentCatalog.Load("", $$"""{"user_agent_parsers":[],"os_parsers":[],"spider_parsers":[{"regex":"{{Pathological}}"}]}""");

        Assert.Equal(AgentKind.Unknown, catalog.Classify(Agent).Kind);
    }
}
