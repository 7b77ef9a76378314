using System.ComponentModel.DataAnnotations;
using KcCsp.Data.Model;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KcCsp.Web.Controllers;

public sealed class SignInForm
{
    [Required(ErrorMessage = "Give your email address.")]
    public string Email { get; set; } = "";
    [Required(ErrorMessage = "Give your password.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";
    public string? ReturnUrl { get; set; }
}

public sealed class AccountController(SignInManager<PortalUser> signIn) : Controller
{
    [AllowAnonymous]
    [HttpGet("/sign-in")]
    public IActionResult SignIn(string? returnUrl) => View(new SignInForm { ReturnUrl = returnUrl });

    [AllowAnonymous]
    [HttpPost("/sign-in")]
    public async Task<IActionResult> SignIn(SignInForm form)
    {
        if (!ModelState.IsValid) return View(form);
        var result = await signIn.PasswordSignInAsync(form.Email.Trim(), form.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            // Only ever back into the portal: an open redirect would make the sign-in page a phishing tool.
            return Url.IsLocalUrl(form.ReturnUrl) ? LocalRedirect(form.ReturnUrl) : LocalRedirect("/");
        }
        ModelState.AddModelError("", result.IsLockedOut
            ? "This account is locked after too many failed sign-ins. Try again in 15 minutes, or ask an administrator to unlock it."
            : "The email address or password is not right.");
        form.Password = "";
        return View(form);
    }

    [HttpPost("/sign-out")]
    public async Task<IActionResult> SignOutOfPortal()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/sign-in");
    }
}
