using Microsoft.Extensions.Options;

namespace Automation.CiTrigger.Pipelines;

/// <summary>Fails the start for a configured pipeline the binder dropped: a dictionary entry whose value cannot be converted
/// (a <c>Provider</c> other than GitHub or GitLab, a <c>ReturnRunDetails</c> that is not a boolean) is skipped silently by
/// the configuration binder, and the pipeline would only be missed when a rule first names it.</summary>
public sealed class UnreadablePipelines(IConfiguration configuration) : IValidateOptions<CiTriggerOptions>
{
    public ValidateOptionsResult Validate(string? name, CiTriggerOptions options)
    {
        var dropped = configuration.GetSection($"{CiTriggerOptions.SectionName}:{nameof(CiTriggerOptions.Pipelines)}").GetChildren()
            .Where(pipeline => !options.Pipelines.ContainsKey(pipeline.Key))
            .Select(Reason)
            .ToArray();
        return dropped.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(dropped);
    }

    private static string Reason(IConfigurationSection pipeline)
    {
        try
        {
            pipeline.Get<PipelineOptions>();
            return $"{pipeline.Path}: cannot be read";
        }
        catch (InvalidOperationException exception)
        {
            // The binder's message names the key, the type and the value: only typed settings fail, never a token (a string).
            return $"{pipeline.Path}: {exception.Message} (Provider is GitHub or GitLab; ReturnRunDetails true or false)";
        }
    }
}
