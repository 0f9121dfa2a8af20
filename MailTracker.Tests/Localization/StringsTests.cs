using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MailTracker.Tests.Localization;

/// <summary>Every UI string has English and Polish text.</summary>
public sealed partial class StringsTests
{
    private static readonly string WebProject = Path.Combine(RepositoryRoot(), "MailTracker.Web");

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MailTracker.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("MailTracker.sln not found above the test output.");
    }

    private static Dictionary<string, string> Load(string file) =>
        XDocument.Load(Path.Combine(WebProject, "Localization", file)).Root!.Elements("data")
            .ToDictionary(e => e.Attribute("name")!.Value, e => e.Element("value")!.Value);

    [Fact]
    public void EnglishAndPolishHaveTheSameKeysAndNoEmptyText()
    {
        var english = Load("Strings.resx");
        var polish = Load("Strings.pl.resx");

        Assert.Empty(english.Keys.Except(polish.Keys));
        Assert.Empty(polish.Keys.Except(english.Keys));
        Assert.DoesNotContain(polish, p => string.IsNullOrWhiteSpace(p.Value));
    }

    [Fact]
    public void EveryStringTheMarkupAsksForHasATranslation()
    {
        var polish = Load("Strings.pl.resx");
        var used = Directory.EnumerateFiles(WebProject, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LocalizerCall().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: Regex.Unescape(m.Groups["key"].Value))))
            .ToList();

        Assert.NotEmpty(used);
        Assert.Empty(used.Where(u => !polish.ContainsKey(u.Key)).Select(u => $"{u.File}: {u.Key}").Distinct());
    }

    [Fact]
    public void PolishTextKeepsThePlaceholdersOfTheEnglish()
    {
        var english = Load("Strings.resx");
        var polish = Load("Strings.pl.resx");

        var broken = english.Where(e => Placeholders(e.Value) != Placeholders(polish[e.Key])).Select(e => e.Key).ToList();

        Assert.Empty(broken);
    }

    private static string Placeholders(string text) =>
        string.Join(",", Placeholder().Matches(text).Select(m => m.Value).Order());

    [GeneratedRegex(@"(?<![A-Za-z])(?:L|localizer|Localizer)\[""(?<key>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LocalizerCall();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
