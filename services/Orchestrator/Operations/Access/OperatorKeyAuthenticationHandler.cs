using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Operations.Access;

/// <summary>Authenticates <c>Authorization: Bearer &lt;key&gt;</c> against <see cref="OperatorKeys"/>; the operator's name
/// becomes the user's name (the audit's "who"). A request without a valid key is answered 401, problem+json, with
/// <c>WWW-Authenticate: Bearer</c>. The key is never logged.</summary>
public sealed class OperatorKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, OperatorKeys keys, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "OperatorKey";
    public const string Policy = "Operator";

    private const string Bearer = "Bearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith(Bearer + " ", StringComparison.OrdinalIgnoreCase) || header.AsSpan(Bearer.Length).Trim().IsEmpty)
        {
            return Task.FromResult(AuthenticateResult.Fail("the Authorization header is not 'Bearer <key>'"));
        }

        if (keys.OperatorOf(header[Bearer.Length..].Trim()) is not { } operatorName)
        {
            return Task.FromResult(AuthenticateResult.Fail("the key is not an operator key"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, operatorName)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Request.Headers.Authorization.Count == 0
            ? $"{Bearer} realm=\"operations\""
            : $"{Bearer} realm=\"operations\", error=\"invalid_token\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = "The operator API needs an operator's key: Authorization: Bearer <key> (Operations:ApiKeys).",
            },
        });
    }
}
