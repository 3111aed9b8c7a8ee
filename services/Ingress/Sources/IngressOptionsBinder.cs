using System.Text.RegularExpressions;

namespace Automation.Ingress.Sources;

internal static partial class IngressOptionsBinder
{
    /// <summary>Binds the <c>Ingress</c> section. Each source is bound on its own because the configuration binder
    /// silently drops a dictionary entry whose value does not convert (a typo in one number would remove the whole
    /// source); bound directly, it throws instead, and that is reported as an <see cref="InvalidOperationException"/>
    /// naming the key only: the binder's own message quotes the value, which may be a misplaced secret.</summary>
    public static void Bind(IConfiguration configuration, IngressOptions options)
    {
        try
        {
            var section = configuration.GetSection(IngressOptions.SectionName);
            section.Bind(options);
            options.Sources.Clear();
            foreach (var child in section.GetSection(nameof(IngressOptions.Sources)).GetChildren())
            {
                var source = new SourceOptions();
                child.Bind(source);
                options.Sources[child.Key] = source;
            }
        }
        catch (InvalidOperationException exception)
        {
            var failure = BinderFailure().Match(exception.Message);
            throw new InvalidOperationException(failure.Success
                ? $"{failure.Groups["key"].Value}: the value does not convert to the setting's type (a number, a time span, …)"
                : $"{IngressOptions.SectionName}: a value does not convert to the type of its setting");
        }
    }

    // "Failed to convert configuration value '…' at 'Ingress:Sources:demo:MaxBodyBytes' to type 'System.Int32'."
    [GeneratedRegex(@" at '(?<key>[^']+)' to type ")]
    private static partial Regex BinderFailure();
}
