using System.Net;
using System.Text.RegularExpressions;

namespace MailTracker.Core.Templates;

/// <summary>What a template's fields are filled with for one recipient (the person written to, and the sender).</summary>
public sealed record FieldValues
{
    public string FullName { get; init; } = "";
    public string Email { get; init; } = "";
    public string Organization { get; init; } = "";
    public string MyName { get; init; } = "";

    /// <summary>A person has one name; the first word is taken as the first name, the rest as the last.</summary>
    public static FieldValues For(string fullName, string email, string organization, string myName) =>
        new() { FullName = fullName.Trim(), Email = email.Trim(), Organization = organization.Trim(), MyName = myName.Trim() };
}

public enum FieldProblemKind
{
    /// <summary>No such field, e.g. <c>{{frist_name}}</c>.</summary>
    Unknown,

    /// <summary>A known field this recipient has no value for, and no fallback (<c>{{first_name|there}}</c>) was given.</summary>
    Missing,
}

public sealed record FieldProblem(string Field, FieldProblemKind Kind);

public sealed record FieldResult(string Text, IReadOnlyList<FieldProblem> Problems)
{
    public bool Succeeded => Problems.Count == 0;
}

/// <summary>
/// Fills <c>{{first_name}}</c>-style fields (whitespace inside the braces allowed, <c>{{first_name|there}}</c> gives a
/// fallback). Values are HTML-encoded into an HTML body, so a contact's name can never inject markup.
/// </summary>
public static partial class TemplateFields
{
    public static readonly IReadOnlyList<string> Known = ["first_name", "last_name", "full_name", "email", "organization", "company", "my_name"];

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|([^{}]*))?\}\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex FieldPattern();

    public static bool HasFields(string text) => FieldPattern().IsMatch(text);

    public static FieldResult Fill(string text, FieldValues values, bool html)
    {
        var problems = new List<FieldProblem>();
        var filled = FieldPattern().Replace(text, match =>
        {
            var name = match.Groups[1].Value.ToLowerInvariant();
            if (!Known.Contains(name))
            {
                Add(problems, new FieldProblem(match.Groups[1].Value, FieldProblemKind.Unknown));
                return match.Value;
            }

            var value = Value(name, values);
            if (value.Length == 0 && match.Groups[2].Success)
            {
                // The fallback is written by the sender in the editor: already HTML in a body, so it is decoded first
                // and encoded again like any value.
                value = html ? WebUtility.HtmlDecode(match.Groups[2].Value).Trim() : match.Groups[2].Value.Trim();
            }

            if (value.Length == 0)
            {
                Add(problems, new FieldProblem(name, FieldProblemKind.Missing));
                return match.Value;
            }

            return html ? WebUtility.HtmlEncode(value) : value;
        });
        return new FieldResult(filled, problems);
    }

    private static void Add(List<FieldProblem> problems, FieldProblem problem)
    {
        if (!problems.Contains(problem))
        {
            problems.Add(problem);
        }
    }

    private static string Value(string name, FieldValues values)
    {
        var parts = values.FullName.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return name switch
        {
            "first_name" => parts.Length > 0 ? parts[0] : "",
            "last_name" => parts.Length > 1 ? parts[1] : "",
            "full_name" => values.FullName,
            "email" => values.Email,
            "organization" or "company" => values.Organization,
            "my_name" => values.MyName,
            _ => "",
        };
    }
}
