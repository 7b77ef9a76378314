using KcCsp.Data;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Features;

/// <summary>
/// The one mapping from a use case's <see cref="Result"/> to HTTP for the portal's forms: done → the given redirect
/// (with its message), not found → 404, forbidden → 403, invalid → 400 with every reason on the form, shown again.
/// </summary>
public static class ResultHttp
{
    /// <summary>The form's own validation first: an invalid form never reaches the use case.</summary>
    public static async Task<Result> ValidatedAsync(this Controller controller, Func<Task<Result>> useCase) =>
        controller.ModelState.IsValid
            ? await useCase()
            : Result.Invalid(controller.ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage).ToArray());

    public static async Task<IActionResult> AnswerAsync(this Controller controller, Result result, Func<Result, string> redirectTo, Func<Task<IActionResult>> showFormAgain, string? message = null)
    {
        switch (result.Outcome)
        {
            case Outcome.NotFound:
                return controller.NotFound();
            case Outcome.Forbidden:
                return controller.Forbid();
            case Outcome.Done:
                if (message is not null) controller.TempData["Message"] = message;
                return controller.Redirect(redirectTo(result));
            default:
                // The form's own errors are on it already; the use case's are added.
                if (controller.ModelState.IsValid) foreach (var e in result.Errors ?? []) controller.ModelState.AddModelError("", e);
                controller.Response.StatusCode = StatusCodes.Status400BadRequest;
                return await showFormAgain();
        }
    }
}
