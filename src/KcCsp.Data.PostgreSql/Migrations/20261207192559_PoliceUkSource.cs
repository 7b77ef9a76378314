using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KcCsp.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PoliceUkSource : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "CrimeImports",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "mps");

            migrationBuilder.AddColumn<string>(
                name: "Taxonomy",
                table: "CrimeCategories",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "mps");

            migrationBuilder.AddColumn<string>(
                name: "Force",
                table: "Areas",
                type: "character varying(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LsoaLookups",
                columns: table => new
                {
                    LsoaCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    LsoaName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    LadCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    LadName = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LsoaLookups", x => x.LsoaCode);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LsoaLookups");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "CrimeImports");

            migrationBuilder.DropColumn(
                name: "Taxonomy",
                table: "CrimeCategories");

            migrationBuilder.DropColumn(
                name: "Force",
                table: "Areas");
        }
    }
}
