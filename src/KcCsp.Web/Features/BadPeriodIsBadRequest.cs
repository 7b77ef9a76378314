using KcCsp.Data.Reporting;

namespace KcCsp.Web.Features;

/// <summary>For downloads: a period that cannot be read is a 400 saying which parameter and why, never a 500.</summary>
public sealed class BadPeriodIsBadRequestAttribute : Microsoft.AspNetCore.Mvc.Filters.ExceptionFilterAttribute
{
    public override void OnException(Microsoft.AspNetCore.Mvc.Filters.ExceptionContext context)
    {
        if (context.Exception is not BadParameterException e) return;
        context.Result = new Microsoft.AspNetCore.Mvc.ContentResult { StatusCode = 400, Content = e.Message, ContentType = "text/plain; charset=utf-8" };
        context.ExceptionHandled = true;
    }
}
