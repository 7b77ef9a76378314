using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KcCsp.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class PlanFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "ActionsDue",
                table: "Plans",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ActionsYear",
                table: "Plans",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublishedSource",
                table: "Plans",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "Plans",
                type: "nvarchar(1000)",
                maxLength: 1000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "PlanRevisions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PlanId = table.Column<int>(type: "int", nullable: false),
                    Number = table.Column<int>(type: "int", nullable: false),
                    FileName = table.Column<string>(type: "nvarchar(260)", maxLength: 260, nullable: false),
                    Sha256 = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Text = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Summary = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    LoadedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    LoadedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlanRevisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlanRevisions_Plans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "Plans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PlanRevisions_PlanId_Number",
                table: "PlanRevisions",
                columns: new[] { "PlanId", "Number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PlanRevisions");

            migrationBuilder.DropColumn(
                name: "ActionsDue",
                table: "Plans");

            migrationBuilder.DropColumn(
                name: "ActionsYear",
                table: "Plans");

            migrationBuilder.DropColumn(
                name: "PublishedSource",
                table: "Plans");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "Plans");
        }
    }
}
