using System.Text.RegularExpressions;
using Automation.Orchestrator.Operations.Access;
using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Operations;

/// <summary>Checks the <c>Operations</c> section at start, each message naming the full key and never a key's value.</summary>
public sealed partial class OperationsOptionsValidator(IHostEnvironment environment) : IValidateOptions<OperationsOptions>
{
    private const string Section = OperationsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, OperationsOptions options)
    {
        var errors = ApiKeyErrors(options.ApiKeys).Concat(TraceUrlErrors(options.TraceUrlTemplate))
            .Concat(ManagementErrors(options.RabbitMqManagement)).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private IEnumerable<string> ApiKeyErrors(Dictionary<string, string> keys)
    {
        var firstWithKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (operatorName, key) in keys.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            var setting = $"{Section}:{nameof(OperationsOptions.ApiKeys)}:{operatorName}";
            if (!OperatorName().IsMatch(operatorName))
            {
                yield return $"{setting}: the operator's name may hold letters, digits and . _ @ - (at most {OperationsLimits.MaxOperatorNameLength}), "
                    + "starting with a letter or digit";
            }

            if (key.Length < OperationsLimits.MinApiKeyLength)
            {
                yield return $"{setting}: is too short: an operator key needs at least {OperationsLimits.MinApiKeyLength} characters "
                    + "(e.g. openssl rand -base64 32)";
                continue;
            }

            if (key.Trim().Length != key.Length)
            {
                yield return $"{setting}: starts or ends with white space";
            }

            if (!environment.IsDevelopment() && PublishedOperatorKeys.Contains(key))
            {
                yield return $"{setting}: is the key published in this repository's README; outside Development set a key of your own";
            }

            if (firstWithKey.TryGetValue(key, out var first))
            {
                yield return $"{setting}: is the same key as {first}: the audit could not tell the two operators apart";
            }
            else
            {
                firstWithKey[key] = setting;
            }
        }
    }

    private static IEnumerable<string> TraceUrlErrors(string? template)
    {
        if (string.IsNullOrEmpty(template))
        {
            yield break;
        }

        var example = template.Replace(OperationsLimits.TraceIdPlaceholder, "0af7651916cd43dd8448eb211c80319c", StringComparison.Ordinal);
        if (!template.Contains(OperationsLimits.TraceIdPlaceholder, StringComparison.Ordinal)
            || !Uri.TryCreate(example, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return $"{Section}:{nameof(OperationsOptions.TraceUrlTemplate)}: must be an absolute http(s) URL containing "
                + $"{OperationsLimits.TraceIdPlaceholder}, e.g. http://127.0.0.1:16686/trace/{OperationsLimits.TraceIdPlaceholder}";
        }
    }

    private static IEnumerable<string> ManagementErrors(RabbitMqManagementOptions management)
    {
        var setting = $"{Section}:{nameof(OperationsOptions.RabbitMqManagement)}";
        if (management.Uri is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
        {
            yield return $"{setting}:{nameof(RabbitMqManagementOptions.Uri)}: is required, an absolute http(s) URL of the broker's "
                + "management API, e.g. http://127.0.0.1:15672/";
        }

        if (string.IsNullOrEmpty(management.Username) != string.IsNullOrEmpty(management.Password))
        {
            yield return $"{setting}:{nameof(RabbitMqManagementOptions.Username)}, {setting}:{nameof(RabbitMqManagementOptions.Password)}: "
                + "set both, or neither to use the user of RabbitMq:Uri";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")]
    private static partial Regex OperatorName();
}
