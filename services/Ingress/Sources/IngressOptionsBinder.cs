namespace Automation.Ingress.Sources;

internal static class IngressOptionsBinder
{
    /// <summary>Binds the <c>Ingress</c> section. Each source is bound on its own because the configuration binder
    /// silently drops a dictionary entry whose value does not convert (a typo in one number would remove the whole
    /// source); bound directly, it throws an <see cref="InvalidOperationException"/> naming the key instead.</summary>
    public static void Bind(IConfiguration configuration, IngressOptions options)
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
}
