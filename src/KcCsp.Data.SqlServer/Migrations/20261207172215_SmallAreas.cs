using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KcCsp.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SmallAreas : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SmallAreaKind",
                table: "CrimeImports",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SmallAreaPopulations",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Code = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Year = table.Column<int>(type: "int", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false),
                    Source = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SmallAreaPopulations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SmallAreas",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Code = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    AreaId = table.Column<int>(type: "int", nullable: false),
                    FirstMonth = table.Column<int>(type: "int", nullable: false),
                    LastMonth = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SmallAreas", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SmallAreas_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SmallAreaPopulations_Code_Year",
                table: "SmallAreaPopulations",
                columns: new[] { "Code", "Year" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SmallAreas_AreaId_Kind",
                table: "SmallAreas",
                columns: new[] { "AreaId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_SmallAreas_Code",
                table: "SmallAreas",
                column: "Code",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SmallAreaPopulations");

            migrationBuilder.DropTable(
                name: "SmallAreas");

            migrationBuilder.DropColumn(
                name: "SmallAreaKind",
                table: "CrimeImports");
        }
    }
}
